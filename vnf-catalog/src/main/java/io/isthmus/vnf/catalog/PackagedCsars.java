package io.isthmus.vnf.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The VNF packages that {@code vnf-*} modules carry in their jars: the parent pom's {@code vnf-package} profile builds
 * each module's CSAR with {@link CsarBuilder} into {@code isthmus-csar/<module>.csar} on its class path.
 */
public final class PackagedCsars {

    private static final String LOCATION = "isthmus-csar/";

    private PackagedCsars() {
    }

    /**
     * The CSAR of a VNF module on the class path, e.g. {@code load("vnf-nat")}.
     *
     * @throws IllegalArgumentException if that module's package is not on the class path
     */
    public static byte[] load(String module) {
        String resource = LOCATION + module + ".csar";
        ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader()
                : PackagedCsars.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no VNF package " + resource + " on the class path: is " + module
                        + " a dependency, built with its src/main/csar?");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

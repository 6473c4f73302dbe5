package io.isthmus.sol.testing;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Every JAX-RS endpoint of a service, read from its resource classes: tests that must try every endpoint (the
 * cross-tenant matrix, the fuzzer) take their list from here, so an endpoint added later is tried without editing
 * them.
 */
public final class Endpoints {

    private static final Pattern PARAM = Pattern.compile("\\{([^}/]+)}");

    /** One endpoint: HTTP method, path template, and the type of its request body (null when it takes none). */
    public record Endpoint(String method, String path, Class<?> bodyType, String consumes) {

        /** The path parameters' names, in order. */
        public List<String> pathParams() {
            List<String> names = new ArrayList<>();
            Matcher m = PARAM.matcher(path);
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        }

        /** The collection the resource a path parameter names belongs to: the path segment before it. */
        public String collectionOf(String param) {
            String[] segments = path.split("/");
            for (int i = 1; i < segments.length; i++) {
                if (segments[i].equals("{" + param + "}")) {
                    return segments[i - 1];
                }
            }
            throw new IllegalArgumentException(param + " is not in " + path);
        }

        /** The path with each parameter replaced by what {@code value} gives for it. */
        public String expand(java.util.function.Function<String, String> value) {
            Matcher m = PARAM.matcher(path);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(value.apply(m.group(1))));
            }
            m.appendTail(out);
            return out.toString();
        }

        /** The path with each parameter replaced by the id {@code ids} has for its collection. */
        public String expandWith(java.util.Map<String, String> ids) {
            return expand(p -> {
                String id = ids.get(collectionOf(p));
                if (id == null) {
                    throw new AssertionError("no id for {" + p + "} of " + this + ": add its collection ("
                            + collectionOf(p) + ") to the test's ids");
                }
                return id;
            });
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private Endpoints() {
    }

    /** The endpoints of the resource classes in {@code packageName} (not its subpackages), sorted. */
    public static List<Endpoint> of(String packageName) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (JavaClass c : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(packageName)) {
            if (!c.getPackageName().equals(packageName) || !c.isAnnotatedWith(Path.class) || c.isInterface()) {
                continue;
            }
            Class<?> type = c.reflect();
            String base = type.getAnnotation(Path.class).value();
            for (Method m : type.getDeclaredMethods()) {
                String http = httpMethod(m);
                if (http == null) {
                    continue;
                }
                Path sub = m.getAnnotation(Path.class);
                String path = join(base, sub == null ? "" : sub.value());
                Consumes consumes = m.getAnnotation(Consumes.class) != null
                        ? m.getAnnotation(Consumes.class)
                        : type.getAnnotation(Consumes.class);
                endpoints.add(new Endpoint(http, path, bodyType(m),
                        consumes == null ? "application/json" : consumes.value()[0]));
            }
        }
        endpoints.sort(Comparator.comparing(Endpoint::path).thenComparing(Endpoint::method));
        return endpoints;
    }

    private static String httpMethod(Method m) {
        for (Class<? extends Annotation> a : List.of(GET.class, POST.class, PUT.class, DELETE.class, PATCH.class)) {
            if (m.isAnnotationPresent(a)) {
                return a.getSimpleName();
            }
        }
        return null;
    }

    private static Class<?> bodyType(Method m) {
        for (Parameter p : m.getParameters()) {
            if (!p.isAnnotationPresent(PathParam.class) && !p.isAnnotationPresent(QueryParam.class)
                    && !p.isAnnotationPresent(Context.class) && !p.isAnnotationPresent(BeanParam.class)
                    && !p.isAnnotationPresent(HeaderParam.class)
                    && !p.isAnnotationPresent(org.jboss.resteasy.reactive.RestQuery.class)
                    && !p.isAnnotationPresent(org.jboss.resteasy.reactive.RestPath.class)) {
                return p.getType();
            }
        }
        return null;
    }

    private static String join(String base, String sub) {
        String path = ("/" + base + "/" + sub).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}

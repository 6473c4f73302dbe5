package io.isthmus.vnfm.integration;

import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.isthmus.vnf.catalog.CsarReader;
import io.isthmus.vnf.catalog.VnfPackage;

/** Reads a VNF package's CSAR with the catalog's reader and keeps what the vnfm uses. */
@ApplicationScoped
public class VnfdReader {

    /**
     * @throws io.isthmus.vnf.catalog.InvalidPackageException when the CSAR is no valid package
     */
    public VnfDescriptor read(byte[] csar) {
        VnfPackage pkg = CsarReader.read(csar);
        return new VnfDescriptor(pkg.vnfdId(), pkg.vnfType(), pkg.provider(), pkg.productName(),
                pkg.softwareVersion(), pkg.vnfdVersion(), pkg.flavourId(), pkg.vdus().stream()
                        .map(v -> new VnfDescriptor.Vdu(v.id(), v.role().wireName(), v.vcpus(), v.memoryMb(),
                                v.initialInstances(), v.initialDelta()))
                        .toList(),
                pkg.scalingAspects().stream()
                        .map(a -> new VnfDescriptor.Aspect(a.id(), a.maxScaleLevel(), a.vduStepDeltas())).toList(),
                pkg.instantiationLevels().stream()
                        .collect(Collectors.toMap(l -> l.id(), l -> l.aspectScaleLevels())),
                pkg.defaultInstantiationLevelId(), pkg.extCps().stream().map(cp -> cp.id()).toList());
    }
}

package io.isthmus.nfvo.persistence;

/**
 * What an NS operation (scale, heal, update) asks of one of its VNFs, and so which SOL003 request it sends the VNFM;
 * the request's body is kept with it ({@code ns_vnf.task_body}).
 */
public enum VnfTaskKind {
    /** {@code POST .../scale} ScaleVnfRequest. */
    SCALE,
    /** {@code POST .../scale_to_level} ScaleVnfToLevelRequest. */
    SCALE_TO_LEVEL,
    /** {@code POST .../heal} HealVnfRequest. */
    HEAL,
    /** {@code POST .../operate} OperateVnfRequest. */
    OPERATE,
    /** {@code POST .../change_flavour} ChangeVnfFlavourRequest. */
    CHANGE_FLAVOUR,
    /** {@code PATCH .../vnf_instances/{id}} VnfInfoModificationRequest. */
    MODIFY,
    /** An existing VNF instance joins the NS: {@code PATCH} of its {@code metadata.nsInstanceId}. */
    ADD,
    /** The VNF leaves the NS: terminated, then deleted, then its row dropped. */
    REMOVE
}

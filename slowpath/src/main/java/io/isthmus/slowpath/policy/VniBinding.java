package io.isthmus.slowpath.policy;

/**
 * Which route table routes the packets a fastpath receives on {@code vni} that no rule matches ({@link TableRoute});
 * {@code table} 0 unbinds the VNI (its packets are punted as misses again). A VNI bound again moves to the new table.
 * Kept and re-sent by the slowpath as routes are.
 */
public record VniBinding(int vni, int table) implements Install {

    public VniBinding {
        if ((vni & ~0xFF_FFFF) != 0 || table < 0) {
            throw new IllegalArgumentException("VNI or table out of range: " + vni + ", " + table);
        }
    }

    public static VniBinding unbind(int vni) {
        return new VniBinding(vni, 0);
    }
}

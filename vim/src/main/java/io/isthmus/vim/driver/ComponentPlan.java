package io.isthmus.vim.driver;

/** One component of a plan: {@code count} replicas of this size in role {@code slowpath} or {@code fastpath}. */
public record ComponentPlan(String name, String role, int count, int vcpus, long memoryMb) {

    public static final String SLOWPATH = "slowpath";
    public static final String FASTPATH = "fastpath";

    public boolean isSlowpath() {
        return SLOWPATH.equals(role);
    }
}

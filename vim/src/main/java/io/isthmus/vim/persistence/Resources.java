package io.isthmus.vim.persistence;

/** An amount of compute: what an allocation asks for, charges and releases. */
public record Resources(int vcpus, long memoryMb) {

    public static final Resources NONE = new Resources(0, 0);

    public Resources plus(Resources other) {
        return new Resources(vcpus + other.vcpus, memoryMb + other.memoryMb);
    }

    public Resources times(int count) {
        return new Resources(vcpus * count, memoryMb * count);
    }
}

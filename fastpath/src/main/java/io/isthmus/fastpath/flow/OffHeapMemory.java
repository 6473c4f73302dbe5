package io.isthmus.fastpath.flow;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * Zeroed off-heap memory for big tables. On Linux it is mapped anonymously and advised to use transparent huge pages
 * ({@code madvise(MADV_HUGEPAGE)}, effective where THP is {@code madvise} or {@code always}) before anything touches
 * it, so a random lookup in a 128 MiB-2 GiB flow table costs a cache miss and not also a 4 KiB page walk (where the
 * host backs the guest with huge pages too: see docs/benchmarks.md, figure 1); the mapping is unmapped when the arena
 * closes. Elsewhere, or with {@code -Disthmus.fastpath.hugePages=false}, or when native
 * access is not enabled, it is plain {@link Arena#allocate} memory.
 */
final class OffHeapMemory {

    /** Read once: whether to map tables with huge pages. */
    static final boolean SHOULD_USE_HUGE_PAGES = !"false"
            .equalsIgnoreCase(System.getProperty("isthmus.fastpath.hugePages"));

    private static final long HUGE_PAGE = 2L << 20;
    private static final int PROT_READ_WRITE = 0x3;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x22;
    private static final int MADV_DONTNEED = 4;
    private static final int MADV_HUGEPAGE = 14;

    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;
    private static final MethodHandle MADVISE;

    static {
        MethodHandle mmap = null;
        MethodHandle munmap = null;
        MethodHandle madvise = null;
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
        boolean nativeAccess = OffHeapMemory.class.getModule().isNativeAccessEnabled();
        if (SHOULD_USE_HUGE_PAGES && linux && nativeAccess) {
            try {
                Linker linker = Linker.nativeLinker();
                mmap = linker.downcallHandle(linker.defaultLookup().find("mmap").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_LONG));
                munmap = linker.downcallHandle(linker.defaultLookup().find("munmap").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
                madvise = linker.downcallHandle(linker.defaultLookup().find("madvise").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_INT));
            } catch (RuntimeException e) {
                mmap = null;
            }
        }
        MMAP = mmap;
        MUNMAP = munmap;
        MADVISE = madvise;
    }

    private OffHeapMemory() {
    }

    /** {@code bytes} of zeroed memory, 64-byte aligned at least, freed when {@code arena} closes. */
    static MemorySegment allocate(long bytes, Arena arena) {
        if (MMAP != null && bytes >= HUGE_PAGE && bytes % HUGE_PAGE == 0) {
            MemorySegment mapped = map(bytes, arena);
            if (mapped != null) {
                return mapped;
            }
        }
        return arena.allocate(bytes, 64);
    }

    /**
     * Zeroes {@code segment}: memory this class mapped is handed back to the kernel ({@code MADV_DONTNEED}: zero pages
     * on the next touch, no time spent writing, resident memory released), other memory is filled.
     */
    static void zero(MemorySegment segment) {
        if (MADVISE != null && segment.byteSize() >= HUGE_PAGE && segment.byteSize() % HUGE_PAGE == 0
                && segment.address() % HUGE_PAGE == 0) {
            try {
                // whole 2 MiB-aligned pages of private anonymous memory that are all ours: dropping them zeroes them
                if ((int) MADVISE.invokeExact(segment, segment.byteSize(), MADV_DONTNEED) == 0) {
                    return;
                }
            } catch (Throwable e) {
                // fall through to the fill
            }
        }
        segment.fill((byte) 0);
    }

    /** Whether tables are mapped with huge pages advised (for logs and benchmarks). */
    static boolean hugePagesAdvised() {
        return MMAP != null;
    }

    private static MemorySegment map(long bytes, Arena arena) {
        try {
            long length = bytes;
            MemorySegment address = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, length, PROT_READ_WRITE,
                    MAP_PRIVATE_ANONYMOUS, -1, 0L);
            if (address.address() == -1L) {
                return null;
            }
            // refused advice (THP set to never) leaves ordinary pages: still fine, so the result is not checked
            int ignored = (int) MADVISE.invokeExact(address, length, MADV_HUGEPAGE);
            return address.reinterpret(length, arena, segment -> unmap(segment, length));
        } catch (Throwable e) {
            return null;
        }
    }

    private static void unmap(MemorySegment segment, long length) {
        try {
            int unmapped = (int) MUNMAP.invokeExact(segment, length);
            assert unmapped == 0;
        } catch (Throwable e) {
            throw new IllegalStateException("munmap failed", e);
        }
    }
}

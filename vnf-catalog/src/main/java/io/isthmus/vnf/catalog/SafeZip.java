package io.isthmus.vnf.catalog;

import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.ARCHIVE_LIMIT_EXCEEDED;
import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.MALFORMED_ARCHIVE;
import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.UNSAFE_ENTRY_NAME;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads a ZIP archive held in memory into a map of path to content, refusing what could hurt whoever handles the
 * files later: names that escape the archive root, repeated names, and more entries or bytes than the limits allow.
 * Sizes are counted while inflating, never taken from the headers. Nothing is written to disk.
 */
final class SafeZip {

    private static final int MAX_NAME_LENGTH = 1024;

    private SafeZip() {
    }

    /** File entries (directories left out) in archive order. */
    static Map<String, byte[]> read(byte[] zip, CsarLimits limits) {
        if (zip.length > limits.maxArchiveBytes()) {
            throw new InvalidPackageException(ARCHIVE_LIMIT_EXCEEDED, null,
                    "the archive is " + zip.length + " bytes, more than the " + limits.maxArchiveBytes() + " allowed");
        }
        if (!startsLikeZip(zip)) {
            throw new InvalidPackageException(MALFORMED_ARCHIVE, null, "the package is not a ZIP archive");
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        long total = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), UTF_8)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                String name = entry.getName();
                if (names.size() == limits.maxEntries()) {
                    throw new InvalidPackageException(ARCHIVE_LIMIT_EXCEEDED, name,
                            "the archive has more than " + limits.maxEntries() + " entries");
                }
                checkName(name);
                if (!names.add(name)) {
                    throw new InvalidPackageException(UNSAFE_ENTRY_NAME, name, "entry " + name + " appears twice");
                }
                if (entry.isDirectory()) {
                    continue;
                }
                byte[] content = readBounded(in, name, limits, total);
                total += content.length;
                files.put(name, content);
            }
        } catch (IOException | IllegalArgumentException e) {
            // ZipException (bad CRC, bad header), EOFException (truncated), or a name not in UTF-8
            throw new InvalidPackageException(MALFORMED_ARCHIVE, null, "the ZIP archive is corrupt: " + e.getMessage(),
                    e);
        }
        return Collections.unmodifiableMap(files);
    }

    /**
     * Refuses names that would land outside a directory the archive is extracted into, or that different tools would
     * read differently. Directories end in '/'.
     */
    static void checkName(String name) {
        String why = unsafeBecause(name);
        if (why != null) {
            throw new InvalidPackageException(UNSAFE_ENTRY_NAME, name, "entry name '" + printable(name) + "' " + why);
        }
    }

    private static String unsafeBecause(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            return "is empty or too long";
        }
        if (name.startsWith("/")) {
            return "is absolute";
        }
        if (name.length() >= 2 && name.charAt(1) == ':' && Character.isLetter(name.charAt(0))) {
            return "starts with a drive letter";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\\') {
                return "contains a backslash";
            }
            if (Character.isISOControl(c)) {
                return "contains a control character";
            }
        }
        String path = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                return "climbs out of the archive with '..'";
            }
            if (segment.isEmpty() || segment.equals(".")) {
                return "has an empty or '.' path segment";
            }
        }
        return null;
    }

    private static byte[] readBounded(ZipInputStream in, String name, CsarLimits limits, long totalSoFar)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long size = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            size += n;
            if (size > limits.maxEntryBytes()) {
                throw new InvalidPackageException(ARCHIVE_LIMIT_EXCEEDED, name,
                        "entry " + name + " inflates to more than " + limits.maxEntryBytes() + " bytes");
            }
            if (totalSoFar + size > limits.maxTotalBytes()) {
                throw new InvalidPackageException(ARCHIVE_LIMIT_EXCEEDED, name,
                        "the archive inflates to more than " + limits.maxTotalBytes() + " bytes (at entry " + name
                                + ")");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** A local file header, or the end-of-central-directory record of an empty archive. */
    private static boolean startsLikeZip(byte[] zip) {
        return zip.length >= 4 && zip[0] == 'P' && zip[1] == 'K'
                && ((zip[2] == 3 && zip[3] == 4) || (zip[2] == 5 && zip[3] == 6));
    }

    private static String printable(String name) {
        StringBuilder b = new StringBuilder();
        name.codePoints().limit(200).forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}

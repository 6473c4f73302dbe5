package io.isthmus.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the logs the platform's processes wrote (the services' and the VNF components') and finds what must not be
 * there: a record logged at ERROR (SEVERE, FATAL), and an exception no logger reported (an uncaught one, or a stack
 * trace printed straight to the console). A log is part of what an end-to-end test checks.
 */
public final class ServiceLogs {

    /** A log record's first line: up to three tokens (date, time, thread) before its level. */
    private static final Pattern HEADER = Pattern
            .compile("^(?:\\S+\\s+){0,3}?(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|SEVERE|FATAL)\\b:?");
    /** The first line of a stack trace: a throwable's class name, and maybe its message. */
    private static final Pattern THROWABLE = Pattern
            .compile(
                    "^(?:Exception in thread \".*\" )?[a-zA-Z_$][\\w$]*(?:\\.[\\w$]+)+(?:Exception|Error|Throwable)\\b.*");
    private static final int MAX_REPORTED = 40;

    private ServiceLogs() {
    }

    /** Every offending line under {@code dir}, as {@code file:line: text}. */
    public static List<String> problems(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).sorted(Comparator.naturalOrder())
                    .toList()) {
                problems.addAll(problems(dir, file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return problems;
    }

    /** Fails listing the offending lines under {@code dir}, if there are any. */
    public static void assertClean(Path dir) {
        List<String> problems = problems(dir);
        if (!problems.isEmpty()) {
            List<String> shown = problems.subList(0, Math.min(problems.size(), MAX_REPORTED));
            throw new AssertionError(problems.size() + " ERROR lines or unreported exceptions in the logs under " + dir
                    + ":\n" + String.join("\n", shown)
                    + (problems.size() > shown.size()
                            ? "\n... and " + (problems.size() - shown.size()) + " more"
                            : ""));
        }
    }

    static List<String> problems(Path root, Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            return List.of(root.relativize(file) + ": not UTF-8");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return problems(root.relativize(file).toString(), lines);
    }

    /** The offending lines of one log; {@code name} prefixes each. */
    static List<String> problems(String name, List<String> lines) {
        List<String> problems = new ArrayList<>();
        // the level of the record the current line belongs to; null on a line no logger wrote
        String level = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher header = HEADER.matcher(line);
            if (header.find()) {
                level = header.group(1);
                if (level.equals("ERROR") || level.equals("SEVERE") || level.equals("FATAL")) {
                    problems.add(name + ":" + (i + 1) + ": " + line);
                }
            } else if (line.startsWith("Exception in thread")) {
                problems.add(name + ":" + (i + 1) + ": " + line);
                level = "UNCAUGHT";
            } else if (line.isEmpty() || Character.isWhitespace(line.charAt(0)) || line.startsWith("Caused by:")
                    || line.startsWith("Suppressed:")) {
                // a stack trace's or a message's continuation belongs to the record above
            } else if (THROWABLE.matcher(line).matches()) {
                if (level == null) {
                    problems.add(name + ":" + (i + 1) + ": " + line);
                    level = "UNCAUGHT";
                }
            } else {
                level = null;
            }
        }
        return problems;
    }
}

package io.isthmus.e2e.bench.lifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an operation's time goes, from the vnfm's log: each operation's STARTING, STARTING → PROCESSING and
 * {@code step X done} lines, the time between one and the next per kind of operation and step.
 */
final class StepTimes {

    private static final Pattern LINE = Pattern.compile("^(\\S+ \\S+) INFO .*? op (\\S+) (?:step (\\w+) done(.*)"
            + "|(\\w+) of VNF instance \\S+ (STARTING)$|\\w+ of VNF instance \\S+ STARTING -> (PROCESSING))");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    private StepTimes() {
    }

    /** Per kind of operation, per step in the order first seen: the step's durations in nanoseconds. */
    static Map<String, Map<String, Latencies>> read(Path vnfmLog) throws IOException {
        Map<String, String> kinds = new HashMap<>();
        Map<String, LocalDateTime> last = new HashMap<>();
        Map<String, List<Map.Entry<String, Long>>> steps = new LinkedHashMap<>();
        Map<String, Map<String, Latencies>> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(vnfmLog)) {
            Matcher m = LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            LocalDateTime at;
            try {
                at = LocalDateTime.parse(m.group(1), TIME);
            } catch (RuntimeException e) {
                continue;
            }
            String op = m.group(2);
            if (m.group(6) != null) {
                kinds.put(op, m.group(5));
                last.put(op, at);
                steps.put(op, new ArrayList<>());
                continue;
            }
            LocalDateTime before = last.get(op);
            if (!kinds.containsKey(op) || before == null) {
                continue;
            }
            String step = m.group(3) != null ? m.group(3) : "(queued)";
            if (step.equals("ADD_VNFCS") && kinds.get(op).equals("SCALE")) {
                // a scale's direction shows first here: out adds VNFCs, in has none to add
                kinds.put(op, m.group(4).contains("no VNFC to add") ? "SCALE (in)" : "SCALE (out)");
            }
            steps.get(op).add(Map.entry(step, ChronoUnit.NANOS.between(before, at)));
            last.put(op, at);
        }
        for (Map.Entry<String, List<Map.Entry<String, Long>>> op : steps.entrySet()) {
            for (Map.Entry<String, Long> step : op.getValue()) {
                out.computeIfAbsent(kinds.get(op.getKey()), k -> new LinkedHashMap<>())
                        .computeIfAbsent(step.getKey(), s -> new Latencies()).add(step.getValue());
            }
        }
        return out;
    }

    /** {@code SCALE: (queued) p50 …; PACKAGE p50 …} lines. */
    static List<String> summary(Path vnfmLog) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Map<String, Latencies>> kind : read(vnfmLog).entrySet()) {
            StringBuilder line = new StringBuilder("BENCH vnfm steps of " + kind.getKey() + ":");
            String sep = " ";
            for (Map.Entry<String, Latencies> step : kind.getValue().entrySet()) {
                line.append(sep).append(step.getKey()).append(' ').append(step.getValue().summary());
                sep = "; ";
            }
            lines.add(line.toString());
        }
        return lines;
    }
}

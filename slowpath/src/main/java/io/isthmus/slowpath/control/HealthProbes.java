package io.isthmus.slowpath.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.isthmus.slowpath.policy.HealthCheck;

/**
 * One probe of a {@link HealthCheck}, on a plain socket bounded by the check's timeout as a whole: TCP connects and
 * closes; HTTP connects, sends {@code GET} with {@code Host} and {@code Connection: close}, and reads the status line
 * only. A plain socket rather than {@link java.net.http.HttpClient}: that client will not send a {@code Host} of the
 * caller's choosing. Blocking: run on a virtual thread.
 */
final class HealthProbes {

    /** A status line longer than this is not HTTP. */
    private static final int MAX_STATUS_LINE = 1_024;
    /** A failure's text in {@code /stats} and the logs stays short. */
    private static final int MAX_ERROR_LENGTH = 160;

    private HealthProbes() {
    }

    /** Probes {@code check}'s target once; null if the probe passed, else why it failed, in a few words. */
    static String probe(HealthCheck check) {
        long deadline = System.nanoTime() + check.timeout().toNanos();
        try (Socket socket = new Socket()) {
            socket.connect(check.target(), remainingMillis(deadline));
            return check.kind() == HealthCheck.Kind.HTTP ? get(check, socket, deadline) : null;
        } catch (SocketTimeoutException e) {
            return "timed out after " + check.timeout().toMillis() + " ms";
        } catch (ConnectException e) {
            return "connection refused";
        } catch (UnknownHostException e) {
            return shorten("unknown host " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            return shorten(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        }
    }

    private static String get(HealthCheck check, Socket socket, long deadline) throws IOException {
        String request = "GET " + check.httpPath() + " HTTP/1.1\r\nHost: " + check.httpHost()
                + "\r\nConnection: close\r\nAccept: */*\r\nUser-Agent: isthmus-slowpath\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        int status = status(statusLine(socket, deadline));
        if (status < 0) {
            return "unreadable reply";
        }
        return status >= check.expectedStatusMin() && status <= check.expectedStatusMax() ? null : "status " + status;
    }

    /** The reply's first line, without its end; each read waits only for what is left of the timeout. */
    private static String statusLine(Socket socket, long deadline) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] line = new byte[MAX_STATUS_LINE];
        int length = 0;
        while (length < line.length) {
            socket.setSoTimeout(remainingMillis(deadline));
            int read = in.read(line, length, line.length - length);
            if (read < 0) {
                break;
            }
            for (int i = length; i < length + read; i++) {
                if (line[i] == '\n') {
                    return new String(line, 0, i, StandardCharsets.ISO_8859_1).strip();
                }
            }
            length += read;
        }
        return "";
    }

    /** The status code of an {@code HTTP/1.x NNN ...} line, or -1. */
    private static int status(String line) {
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
            return -1;
        }
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            status = status * 10 + (c - '0');
        }
        return line.length() == 12 || line.charAt(12) == ' ' ? status : -1;
    }

    /** What is left until {@code deadline}, at least 1 ms (0 would mean no timeout); past it, a timeout. */
    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long nanos = deadline - System.nanoTime();
        if (nanos <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(nanos)));
    }

    private static String shorten(String error) {
        return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
    }
}

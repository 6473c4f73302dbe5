package io.isthmus.e2e.bench.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A backend server of the load balancer's lab and end-to-end test: an nginx master of its own, its configuration, pid
 * file and logs in one directory, one worker, listening on {@code address}:80 and answering every request with 200
 * {@code backend <address>}, keeping connections alive without a limit of requests.
 */
public final class NginxBackend {

    private NginxBackend() {
    }

    /**
     * Writes {@code dir/nginx.conf} for {@code address}; {@code accessLog} is its access log directives (e.g.
     * {@code access_log off;}).
     */
    public static void configure(Path dir, String address, String accessLog) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("nginx.conf"), """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                events { worker_connections 1024; }
                http {
                    %3$s
                    keepalive_timeout 300s;
                    keepalive_requests 100000000;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    server {
                        listen %2$s:80;
                        location / {
                            default_type text/plain;
                            return 200 "backend %2$s";
                        }
                    }
                }
                """.formatted(dir, address, accessLog));
    }

    /** The command that runs the nginx configured in {@code dir} in the foreground. */
    public static List<String> command(Path dir) {
        return List.of("nginx", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(), "-g",
                "daemon off;");
    }
}

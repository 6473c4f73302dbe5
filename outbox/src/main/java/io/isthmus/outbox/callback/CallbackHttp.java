package io.isthmus.outbox.callback;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Singleton;

import io.isthmus.outbox.OutboxConfig;

/**
 * The platform's own HTTP exchanges with a subscriber's servers (the callback test, token requests): no redirects
 * followed, at most {@link #MAX_BODY} bytes of body read, the whole exchange bounded in time (a request's timeout ends
 * with the headers; a body dripped slowly would not), and whatever goes wrong one and the same
 * {@link CallbackRefusedException}. One client for the callback tests and the token requests.
 */
@Singleton
final class CallbackHttp {

    static final long MAX_BODY = 64 * 1024;

    private final HttpClient http;
    private final Duration deadline;

    /** Connects within {@code connect-timeout}; connecting and answering take {@code response-timeout} more at most. */
    CallbackHttp(OutboxConfig config) {
        this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.deadline = config.connectTimeout().plus(config.responseTimeout());
    }

    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        CompletableFuture<HttpResponse<T>> exchange = http.sendAsync(request,
                HttpResponse.BodyHandlers.limiting(body, MAX_BODY));
        try {
            return exchange.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            exchange.cancel(true);
            throw new CallbackRefusedException();
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new CallbackRefusedException();
        }
    }
}

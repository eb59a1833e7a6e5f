package dev.messenger.server.testing;

import dev.messenger.api.v1.FeedEvent;
import dev.messenger.api.v1.NotificationsServiceGrpc;
import dev.messenger.api.v1.SubscribeRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.fail;

/** A Subscribe stream for tests: records its events and how it ended; can cancel it. */
public final class FeedRecorder implements ClientResponseObserver<SubscribeRequest, FeedEvent> {
    public final LinkedBlockingQueue<FeedEvent> events = new LinkedBlockingQueue<>();
    public final CompletableFuture<Status> end = new CompletableFuture<>();
    private volatile ClientCallStreamObserver<SubscribeRequest> call;

    /** Subscribes as the user (from seq 0) on the channel. */
    public static FeedRecorder subscribe(TestUser user, ManagedChannel on) {
        FeedRecorder recorder = new FeedRecorder();
        user.as(NotificationsServiceGrpc.newStub(on)).subscribe(SubscribeRequest.getDefaultInstance(), recorder);
        return recorder;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SubscribeRequest> requestStream) {
        call = requestStream;
    }

    @Override
    public void onNext(FeedEvent event) {
        events.add(event);
    }

    @Override
    public void onError(Throwable t) {
        end.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        end.complete(Status.OK);
    }

    /** Cancels the call, keeping the channel. */
    public void cancel() {
        call.cancel("the client is done", null);
    }

    public FeedEvent awaitEvent(Duration timeout) throws InterruptedException {
        FeedEvent event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            fail("no feed event within " + timeout.toMillis() + " ms; stream ended: " + end.getNow(null));
        }
        return event;
    }

    /** True when an event arrived first, false when the stream ended first. */
    public boolean awaitEventOrEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!events.isEmpty()) {
                return true;
            }
            if (end.isDone()) {
                return false;
            }
            Thread.sleep(5);
        }
        return fail("neither an event nor the end within " + timeout.toMillis() + " ms");
    }

    public Status awaitEnd(Duration timeout) throws Exception {
        try {
            return end.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return fail("the stream did not end within " + timeout.toMillis() + " ms");
        }
    }
}

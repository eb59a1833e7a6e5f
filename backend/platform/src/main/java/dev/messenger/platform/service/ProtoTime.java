package dev.messenger.platform.service;

import com.google.protobuf.Timestamp;

import java.time.Instant;

/** Instants to and from protobuf timestamps. */
public final class ProtoTime {
    private ProtoTime() {
    }

    public static Timestamp of(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}

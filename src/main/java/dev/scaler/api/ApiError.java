package dev.scaler.api;

import io.micronaut.serde.annotation.Serdeable;

/** The body of every 4xx/5xx the API sends: one sentence that names the field or value. */
@Serdeable
public record ApiError(int status, String error) {
}

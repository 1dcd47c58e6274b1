package dev.scaler.alerts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/**
 * Alertmanager's webhook body, version 4 (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config).
 * Only what Scaler reads is checked; other fields are kept for logs or ignored.
 */
@Serdeable
public record AlertmanagerPayload(@Nullable String version,
                                  @Nullable String groupKey,
                                  @Nullable Integer truncatedAlerts,
                                  @Nullable String status,
                                  @Nullable String receiver,
                                  @Nullable Map<String, String> groupLabels,
                                  @Nullable Map<String, String> commonLabels,
                                  @Nullable Map<String, String> commonAnnotations,
                                  @Nullable String externalURL,
                                  @Nullable List<Alert> alerts) {

    /**
     * One alert. {@code startsAt} and {@code endsAt} are kept as the text Alertmanager sent: they are only
     * compared, and the text is what repeats exactly on a resend.
     */
    @Serdeable
    public record Alert(@Nullable String status,
                        @Nullable Map<String, String> labels,
                        @Nullable Map<String, String> annotations,
                        @Nullable String startsAt,
                        @Nullable String endsAt,
                        @Nullable String generatorURL,
                        @Nullable String fingerprint) {

        public String label(String name) {
            return labels == null ? null : labels.get(name);
        }

        /**
         * What identifies this notification of this alert: Alertmanager resends (repeat_interval, group
         * re-notifications) carry the same fingerprint, status and startsAt; a new firing has a new startsAt.
         */
        public String dedupeKey() {
            String identity = fingerprint != null && !fingerprint.isBlank() ? fingerprint
                    : String.valueOf(labels == null ? Map.of() : new java.util.TreeMap<>(labels));
            return identity + "|" + status + "|" + startsAt;
        }
    }
}

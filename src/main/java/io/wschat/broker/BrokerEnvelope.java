package io.wschat.broker;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.wschat.chat.ServerEvent;

/**
 * What travels on a room's Redis channel: either an event, or a {@code head} notice saying
 * the room's history reaches that sequence number (sent when an instance's link returns, so
 * others fetch what it stored while it could not publish).
 *
 * @param origin      the publishing instance, for logs
 * @param publishedAt the publisher's clock when the event was handed to the broker, for the lag metric
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record BrokerEnvelope(String origin, long publishedAt, ServerEvent event, Long head) {
}

package dev.dockerproxy.server;

import dev.dockerproxy.policy.Decision;

/**
 * A step that sees the daemon's answer to an allowed request before the client does, and may
 * replace its body: where an answer is checked or cleaned (for example, secrets taken out of an
 * inspect answer).
 *
 * <p>For every answer that can have a body, the proxy asks each stage, in the order they were
 * configured, whether it {@linkplain #inspects inspects} it, from the request's decision and the
 * answer's head. When at least one does, the proxy reads the daemon's whole body (de-chunked; at
 * most {@link #MAX_BODY} bytes), passes it through the inspecting stages in order, and sends the
 * client the last stage's bytes with a {@code Content-Length}. Answers no stage inspects are
 * relayed as they arrive. Hijacked exchanges (attach, exec start) never pass through stages.
 *
 * <p>Fail closed: a stage that throws, or an answer larger than {@link #MAX_BODY}, gives the client
 * a {@code 502} with the reason instead of the daemon's answer. A stage must not inspect answers
 * that never end ({@code /events}, {@code logs?follow=1}, {@code stats}): decide on {@link
 * Decision#endpointId()}.
 *
 * <p>Implementations are called from many connection threads at once and must be thread-safe.
 */
public interface ResponseStage {

    /** The largest answer body a stage gets: 64 MiB. */
    int MAX_BODY = 64 * 1024 * 1024;

    /**
     * The head of a daemon's answer, as far as a stage needs it.
     *
     * @param status the daemon's status code
     * @param contentType the daemon's {@code Content-Type}, or {@code ""} when it sent none
     */
    record Answer(int status, String contentType) {}

    /** Whether this stage needs the body of this answer. */
    boolean inspects(Decision decision, Answer answer);

    /**
     * The body the client gets instead of {@code body}.
     *
     * @param body the daemon's body, or the previous stage's result; not to be modified
     * @return the new body, never {@code null} (a {@code null} refuses the answer as a throw does)
     * @throws RuntimeException to refuse the answer: the client gets {@code 502} with the
     *     exception's message
     */
    byte[] apply(Decision decision, Answer answer, byte[] body);
}

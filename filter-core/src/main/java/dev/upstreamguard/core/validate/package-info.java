/**
 * Validation of an upstream response head before anything is committed to the client.
 *
 * <p>{@link dev.upstreamguard.core.validate.ResponseHeadValidator} checks the status line, every field
 * name and value, the framing fields (Content-Length, Transfer-Encoding) and the size limits of a
 * {@link dev.upstreamguard.core.ResponseHead} in one pass, and turns the first violation into an
 * {@link dev.upstreamguard.core.UpstreamFailure} with its RFC 9209 error type. Lenient modes produce
 * {@link dev.upstreamguard.core.HeadRepair}s the integration applies before forwarding.
 * {@link dev.upstreamguard.core.HopByHop} names the fields a proxy must not forward.
 */
package dev.upstreamguard.core.validate;

import dev.upstreamguard.core.HeadRepair;
import dev.upstreamguard.core.HopByHop;
import dev.upstreamguard.core.ResponseHead;

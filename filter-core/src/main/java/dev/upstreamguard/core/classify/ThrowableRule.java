package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.Phase;

/**
 * Recognises one throwable on its own (the chain walker looks at its causes). Returns {@code null}
 * when the throwable says nothing useful.
 */
@FunctionalInterface
interface ThrowableRule {

    Recognition recognise(Throwable throwable, Phase observed);
}

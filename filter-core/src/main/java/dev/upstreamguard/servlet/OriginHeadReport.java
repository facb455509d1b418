package dev.upstreamguard.servlet;

import java.util.List;

/**
 * What {@link OriginHeadCheck} found in this application's own response head.
 *
 * @param sectionSize   the head's size in bytes as a proxy in front would buffer it
 * @param overBudget    whether {@code sectionSize} is over the budget
 * @param illegalFields indices of fields with a non-token name or a CR, LF, NUL or other control character
 * @param fieldsToStrip for {@code STRIP}: the illegal fields, then the largest removable fields until the
 *                      head fits the budget (framing and representation fields are never removed)
 * @param sizeAfterStrip the head's size once {@code fieldsToStrip} are removed
 */
public record OriginHeadReport(int sectionSize, boolean overBudget, List<Integer> illegalFields,
                               List<Integer> fieldsToStrip, int sizeAfterStrip) {
    /** Freezes the lists. */
    public OriginHeadReport {
        illegalFields = List.copyOf(illegalFields);
        fieldsToStrip = List.copyOf(fieldsToStrip);
    }

    /** Whether nothing is wrong. */
    public boolean clean() {
        return !overBudget && illegalFields.isEmpty();
    }
}

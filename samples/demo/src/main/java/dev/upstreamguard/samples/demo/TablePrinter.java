package dev.upstreamguard.samples.demo;

import dev.upstreamguard.testkit.ClientDeviations.Deviation;
import dev.upstreamguard.testkit.Scenario;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints rows side by side for a choice of columns: guarded cells that are a documented deviation get a
 * footnote number with the packaging's reason, cells that are neither listed nor documented get {@code !!}
 * and a footnote with what the list expects.
 */
final class TablePrinter {
    private static final int MAX_WIDTH = 40;

    private final List<Column> columns;
    private final List<Row> rows;

    TablePrinter(List<Column> columns, List<Row> rows) {
        this.columns = columns;
        this.rows = rows;
    }

    /** Prints the table of the columns at {@code indexes}, then its footnotes. */
    void print(PrintStream out, int... indexes) {
        List<String> notes = new ArrayList<>();
        String[][] cells = new String[rows.size()][indexes.length];
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            for (int c = 0; c < indexes.length; c++) {
                cells[r][c] = cell(row, indexes[c], notes);
            }
        }
        int nameWidth = rows.stream().mapToInt(r -> r.scenario().name().length()).max().orElse(8);
        int[] widths = new int[indexes.length];
        for (int c = 0; c < indexes.length; c++) {
            widths[c] = columns.get(indexes[c]).title().length();
            for (String[] line : cells) {
                widths[c] = Math.min(MAX_WIDTH, Math.max(widths[c], line[c].length()));
            }
        }
        StringBuilder header = new StringBuilder(pad("scenario", nameWidth));
        StringBuilder rule = new StringBuilder("-".repeat(nameWidth));
        for (int c = 0; c < indexes.length; c++) {
            header.append(" | ").append(pad(columns.get(indexes[c]).title(), widths[c]));
            rule.append("-+-").append("-".repeat(widths[c]));
        }
        out.println(header.toString().stripTrailing());
        out.println(rule);
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder(pad(rows.get(r).scenario().name(), nameWidth));
            for (int c = 0; c < indexes.length; c++) {
                line.append(" | ").append(pad(cells[r][c], widths[c]));
            }
            out.println(line.toString().stripTrailing());
        }
        notes.forEach(out::println);
    }

    private String cell(Row row, int column, List<String> notes) {
        Column col = columns.get(column);
        Answer answer = row.answers().get(column);
        if (!col.guarded()) {
            return answer.cell();
        }
        Scenario s = row.scenario();
        switch (row.judgements().get(column)) {
            case DOCUMENTED_DEVIATION -> {
                Deviation d = col.deviations().get(s.name());
                notes.add(String.format("(%d) %s, %s: %s", notes.size() + 1, col.title(), s.name(), d.why()));
                return answer.cell() + " (" + notes.size() + ")";
            }
            case UNEXPECTED -> {
                Deviation d = col.deviations().get(s.name());
                notes.add(String.format("(%d) !! %s, %s: expected %s, got %s", notes.size() + 1, col.title(), s.name(),
                        d != null ? d.status() + (d.error() == null ? "" : " " + d.error()) : listed(s), answer.cell()));
                return "!! " + answer.cell() + " (" + notes.size() + ")";
            }
            default -> {
                return answer.cell();
            }
        }
    }

    /** What the list says, in words. */
    static String listed(Scenario s) {
        return switch (s.outcome()) {
            case VERDICT -> s.expectedStatus() + " " + s.expectedError();
            case TRUNCATED -> s.expectedStatus() + " truncated (or 502 " + s.expectedError() + " before commit)";
            case PASSED_THROUGH -> s.expectedStatus() + " received-status";
            case CONTROL -> "200, body byte for byte";
        };
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}

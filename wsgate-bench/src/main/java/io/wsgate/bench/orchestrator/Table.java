package io.wsgate.bench.orchestrator;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table (Markdown pipe syntax, so it pastes into a README as is). */
final class Table {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... header) {
        this.header = List.of(header);
    }

    void row(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object c : cells) {
            row.add(String.valueOf(c));
        }
        rows.add(row);
    }

    String render() {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, width, true);
        out.append('|');
        for (int w : width) {
            out.append(' ').append("-".repeat(w)).append(" |");
        }
        out.append('\n');
        for (List<String> r : rows) {
            line(out, r, width, false);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] width, boolean header) {
        out.append('|');
        for (int i = 0; i < width.length; i++) {
            String c = cells.get(i);
            String pad = " ".repeat(width[i] - c.length());
            boolean left = header || i == 0;
            out.append(' ').append(left ? c + pad : pad + c).append(" |");
        }
        out.append('\n');
    }

    static String num(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return String.format(java.util.Locale.ROOT, "%,." + decimals + "f", v);
    }

    static String ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b == 0) {
            return "-";
        }
        return String.format(java.util.Locale.ROOT, "%.2f×", a / b);
    }
}

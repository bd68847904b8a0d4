package io.cocoplane.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Renders answers on stdout: {@code json} prints the JSON indented; {@code table} prints a list as aligned columns
 * (header in upper case, missing values as {@code -}, cells longer than 80 characters cut) and a single object as
 * {@code key: value} lines (nested values as compact JSON).
 */
final class Output {

    /** A table column: header and a dotted field path into each row. */
    record Column(String header, String path) {
    }

    private static final int MAX_CELL = 80;

    private final PrintWriter out;
    private final CocoCtl.Format format;

    Output(PrintWriter out, CocoCtl.Format format) {
        this.out = out;
        this.format = format;
    }

    /** Prints a list (a JSON array, or the array at {@code member} of an object). */
    void list(JsonNode rows, List<Column> columns) {
        if (format == CocoCtl.Format.json) {
            out.println(Json.pretty(rows));
            out.flush();
            return;
        }
        List<String[]> lines = new ArrayList<>();
        String[] header = new String[columns.size()];
        for (int i = 0; i < header.length; i++) {
            header[i] = columns.get(i).header();
        }
        lines.add(header);
        for (JsonNode row : rows) {
            String[] cells = new String[columns.size()];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = cell(row.at("/" + columns.get(i).path().replace('.', '/')));
            }
            lines.add(cells);
        }
        int[] width = new int[columns.size()];
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                width[i] = Math.max(width[i], l[i].length());
            }
        }
        for (String[] l : lines) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < l.length; i++) {
                sb.append(l[i]);
                if (i < l.length - 1) {
                    sb.append(" ".repeat(width[i] - l[i].length() + 2));
                }
            }
            out.println(sb.toString().stripTrailing());
        }
        out.flush();
    }

    /** Prints one object. */
    void object(JsonNode node) {
        if (format == CocoCtl.Format.json || !node.isObject()) {
            out.println(Json.pretty(node));
            out.flush();
            return;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode v = e.getValue();
            out.println(e.getKey() + ": " + (v.isContainer() ? Json.compact(v) : v.isNull() ? "-" : v.asString()));
        }
        out.flush();
    }

    /** Prints a plain message (table) or a JSON object built by the caller (json). */
    void message(String text, JsonNode asJson) {
        if (format == CocoCtl.Format.json) {
            out.println(Json.pretty(asJson));
        } else {
            out.println(text);
        }
        out.flush();
    }

    private static String cell(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return "-";
        }
        String s = v.isContainer() ? Json.compact(v) : v.asString();
        s = s.replace('\n', ' ').replace('\t', ' ');
        return s.length() > MAX_CELL ? s.substring(0, MAX_CELL - 1) + "…" : s;
    }
}

package dev.upstreamguard.benchmarks.macro;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The chart of one load run, drawn with the JDK only (Java2D, ImageIO): throughput per round for every
 * target, median p50/p99 latency with the p99 spread over the rounds, and the outage windows as req/s split
 * by the status answered. Run on its own: {@code MacroChart <samples.tsv> <out.png>}.
 */
public final class MacroChart {
    private static final int WIDTH = 1600;
    private static final int HEIGHT = 1240;
    private static final Color[] SERIES = {new Color(0x8FB8DE), new Color(0x1F4E9A), new Color(0x9CD49A),
        new Color(0x1E7B34), new Color(0x7A7A7A)};
    private static final Map<String, Color> STATUS = Map.of("200", new Color(0x2CA02C), "502", new Color(0xFF8C1A),
            "503", new Color(0x1F77B4), "500", new Color(0xD62728), "504", new Color(0x9467BD));
    private static final Color GRID = new Color(0xE3E3E3);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 22);
    private static final Font HEAD = new Font(Font.SANS_SERIF, Font.BOLD, 17);
    private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private MacroChart() {
    }

    /** Redraws the chart from a TSV. */
    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]), Path.of(args[1]));
    }

    /** Draws the chart of the samples in {@code tsv} into {@code png}. */
    public static void write(Path tsv, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        MacroResults r = MacroResults.read(tsv);
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(Color.BLACK);
        g.setFont(TITLE);
        g.drawString("Upstream Guard load run: loopback, wrk -t1 -c32, 5 s samples, 2 cores, one fast nginx upstream", 30, 40);
        throughput(g, r, 30, 70, 760, 500);
        latency(g, r, 830, 70, 740, 500);
        outage(g, r, 30, 620, 1540, 590);
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static void throughput(Graphics2D g, MacroResults r, int x, int y, int w, int h) {
        heading(g, "Throughput per round, /ok/ (req/s; rounds alternate the order)", x, y);
        List<Integer> rounds = r.rounds();
        double max = 0;
        for (String t : LoadRun.TARGETS) {
            for (Sample s : r.of("throughput", t)) {
                max = Math.max(max, s.rps());
            }
        }
        max = niceCeil(max * 1.08);
        int left = x + 70;
        int top = y + 30;
        int pw = w - 90;
        int ph = h - 150;
        axes(g, left, top, pw, ph, max, v -> String.format(Locale.ROOT, "%.0fk", v / 1000));
        for (int i = 0; i < rounds.size(); i++) {
            int px = left + (rounds.size() == 1 ? pw / 2 : i * pw / (rounds.size() - 1));
            g.setColor(Color.DARK_GRAY);
            g.setFont(SMALL);
            g.drawString("round " + rounds.get(i), px - 20, top + ph + 18);
        }
        for (int t = 0; t < LoadRun.TARGETS.size(); t++) {
            g.setColor(SERIES[t]);
            g.setStroke(new BasicStroke(3f));
            double lastX = -1;
            double lastY = -1;
            for (int i = 0; i < rounds.size(); i++) {
                final int round = rounds.get(i);
                var sample = r.find("throughput", round, LoadRun.TARGETS.get(t));
                if (sample.isEmpty()) {
                    continue;
                }
                double px = left + (rounds.size() == 1 ? pw / 2.0 : (double) i * pw / (rounds.size() - 1));
                double py = top + ph - sample.get().rps() / max * ph;
                if (lastX >= 0) {
                    g.draw(new Line2D.Double(lastX, lastY, px, py));
                }
                g.fillOval((int) px - 5, (int) py - 5, 10, 10);
                lastX = px;
                lastY = py;
            }
        }
        g.setStroke(new BasicStroke(1f));
        int ly = top + ph + 40;
        for (int t = 0; t < LoadRun.TARGETS.size(); t++) {
            int lx = left + (t % 3) * 230;
            int row = ly + (t / 3) * 22;
            g.setColor(SERIES[t]);
            g.fillRect(lx, row - 11, 16, 12);
            g.setColor(Color.BLACK);
            g.setFont(TEXT);
            String name = LoadRun.TARGETS.get(t);
            g.drawString(String.format(Locale.ROOT, "%s  %.0f", name, r.median(name, Sample::rps)), lx + 22, row);
        }
        g.setFont(TEXT);
        int ry = ly + 56;
        for (String[] pair : MacroResults.PAIRS) {
            List<Double> rps = r.ratios(pair, Sample::rps);
            List<Double> p99 = r.ratios(pair, s -> (double) s.p99Us());
            double[] a = MacroResults.range(rps);
            double[] b = MacroResults.range(p99);
            g.drawString(String.format(Locale.ROOT, "%s guarded ÷ stock:  req/s %.3f (%.2f–%.2f),  p99 %.3f (%.2f–%.2f)",
                    pair[0].substring(0, pair[0].indexOf('-')), MacroResults.median(rps), a[0], a[1],
                    MacroResults.median(p99), b[0], b[1]), left, ry);
            ry += 22;
        }
    }

    private static void latency(Graphics2D g, MacroResults r, int x, int y, int w, int h) {
        heading(g, "Latency, /ok/: median p50 and p99 over the rounds (ms; whisker: p99 min–max)", x, y);
        double max = 0;
        for (String t : LoadRun.TARGETS) {
            for (Sample s : r.of("throughput", t)) {
                max = Math.max(max, s.p99Us() / 1000.0);
            }
        }
        max = niceCeil(max * 1.1);
        int left = x + 60;
        int top = y + 30;
        int pw = w - 80;
        int ph = h - 200;
        axes(g, left, top, pw, ph, max, v -> String.format(Locale.ROOT, "%.1f", v));
        int n = LoadRun.TARGETS.size();
        int slot = pw / n;
        for (int t = 0; t < n; t++) {
            String name = LoadRun.TARGETS.get(t);
            double p50 = r.median(name, s -> s.p50Us() / 1000.0);
            double p99 = r.median(name, s -> s.p99Us() / 1000.0);
            double[] spread = MacroResults.range(r.of("throughput", name).stream().map(s -> s.p99Us() / 1000.0).toList());
            int bx = left + t * slot + slot / 2 - 40;
            bar(g, bx, top, ph, 36, p50, max, SERIES[t].brighter(), String.format(Locale.ROOT, "%.2f", p50));
            bar(g, bx + 40, top, ph, 36, p99, max, SERIES[t], String.format(Locale.ROOT, "%.2f", p99));
            if (Double.isFinite(spread[0])) {
                int wx = bx + 58;
                int y0 = (int) (top + ph - spread[0] / max * ph);
                int y1 = (int) (top + ph - spread[1] / max * ph);
                g.setColor(Color.BLACK);
                g.drawLine(wx, y0, wx, y1);
                g.drawLine(wx - 6, y0, wx + 6, y0);
                g.drawLine(wx - 6, y1, wx + 6, y1);
            }
            g.setColor(Color.BLACK);
            g.setFont(TEXT);
            g.drawString(name, left + t * slot + slot / 2 - g.getFontMetrics().stringWidth(name) / 2, top + ph + 20);
            g.setFont(SMALL);
            g.drawString("p50   p99", bx + 6, top + ph + 38);
        }
        g.setFont(TEXT);
        g.setColor(Color.BLACK);
        g.drawString("medians over the rounds, measured in the proxy's process:", left, top + ph + 62);
        int ty = top + ph + 82;
        for (int t = 0; t < n; t++) {
            String name = LoadRun.TARGETS.get(t);
            double alloc = r.median(name, Sample::bytesPerRequest);
            g.drawString(name, left, ty + t * 19);
            g.drawString(String.format(Locale.ROOT, "CPU %.0f µs/req%s", r.median(name, Sample::cpuUsPerRequest),
                    alloc < 0 ? "" : String.format(Locale.ROOT, ",  heap %.1f KB/req", alloc / 1024)), left + 150, ty + t * 19);
        }
    }

    private static void outage(Graphics2D g, MacroResults r, int x, int y, int w, int h) {
        heading(g, "Outage: req/s split by the status answered (/dead/: the only upstream refuses; /half/: 1 of 2 refuses;"
                + " window 1 then 2, 5 s each)", x, y);
        double max = 0;
        int rows = 0;
        for (String t : LoadRun.TARGETS) {
            for (String phase : List.of("outage-dead", "outage-half")) {
                for (Sample s : r.of(phase, t)) {
                    max = Math.max(max, s.rps());
                    rows++;
                }
            }
        }
        if (rows == 0) {
            g.setFont(TEXT);
            g.drawString("(no outage samples in this run)", x + 20, y + 60);
            return;
        }
        max = niceCeil(max * 1.05);
        int left = x + 250;
        int top = y + 40;
        int pw = w - 560;
        int rowH = Math.min(26, (h - 90) / rows);
        for (int i = 0; i <= 5; i++) {
            int gx = left + i * pw / 5;
            g.setColor(GRID);
            g.drawLine(gx, top, gx, top + rows * rowH);
            g.setColor(Color.DARK_GRAY);
            g.setFont(SMALL);
            g.drawString(String.format(Locale.ROOT, "%.0fk", max * i / 5 / 1000), gx - 10, top + rows * rowH + 16);
        }
        int row = 0;
        for (String t : LoadRun.TARGETS) {
            for (String phase : List.of("outage-dead", "outage-half")) {
                for (Sample s : r.of(phase, t)) {
                    int by = top + row * rowH;
                    g.setColor(Color.BLACK);
                    g.setFont(TEXT);
                    g.drawString(String.format("%s  /%s/  w%d", t, phase.substring(7), s.round()), x, by + rowH - 8);
                    long total = s.answers().values().stream().mapToLong(Long::longValue).sum();
                    double bx = left;
                    StringBuilder label = new StringBuilder();
                    for (Map.Entry<String, Long> e : MacroResults.byStatus(s).entrySet()) {
                        double share = total == 0 ? 0 : (double) e.getValue() / total;
                        double bw = s.rps() * share / max * pw;
                        g.setColor(STATUS.getOrDefault(e.getKey(), Color.GRAY));
                        g.fillRect((int) bx, by + 3, (int) Math.ceil(bw), rowH - 6);
                        bx += bw;
                        label.append(label.length() == 0 ? "" : "  ").append(e.getKey())
                                .append(String.format(Locale.ROOT, " %.0f%%", share * 100));
                    }
                    g.setColor(Color.BLACK);
                    g.setFont(SMALL);
                    g.drawString(String.format(Locale.ROOT, "%.0f req/s, p99 %.1f ms:  %s", s.rps(), s.p99Us() / 1000.0, label),
                            (int) bx + 8, by + rowH - 9);
                    row++;
                }
            }
        }
        int lx = left;
        int ly = top + rows * rowH + 40;
        g.setFont(TEXT);
        for (String status : List.of("200", "500", "502", "503", "504")) {
            g.setColor(STATUS.get(status));
            g.fillRect(lx, ly - 12, 16, 14);
            g.setColor(Color.BLACK);
            g.drawString(status, lx + 22, ly);
            lx += 90;
        }
    }

    private static void heading(Graphics2D g, String text, int x, int y) {
        g.setColor(Color.BLACK);
        g.setFont(HEAD);
        g.drawString(text, x, y + 10);
    }

    private static void axes(Graphics2D g, int left, int top, int pw, int ph, double max,
                             java.util.function.DoubleFunction<String> label) {
        g.setFont(SMALL);
        for (int i = 0; i <= 5; i++) {
            int gy = top + ph - i * ph / 5;
            g.setColor(GRID);
            g.drawLine(left, gy, left + pw, gy);
            g.setColor(Color.DARK_GRAY);
            String text = label.apply(max * i / 5);
            g.drawString(text, left - 8 - g.getFontMetrics().stringWidth(text), gy + 4);
        }
        g.setColor(Color.BLACK);
        g.drawLine(left, top + ph, left + pw, top + ph);
        g.drawLine(left, top, left, top + ph);
    }

    private static void bar(Graphics2D g, int bx, int top, int ph, int bw, double value, double max, Color color, String text) {
        if (!Double.isFinite(value)) {
            return;
        }
        int bh = (int) (value / max * ph);
        g.setColor(color);
        g.fillRect(bx, top + ph - bh, bw, bh);
        g.setColor(Color.BLACK);
        g.setFont(SMALL);
        g.drawString(text, bx + 2, top + ph - bh - 4);
    }

    /** 1, 2, 2.5 or 5 times a power of ten, at least {@code v}. */
    private static double niceCeil(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }
}

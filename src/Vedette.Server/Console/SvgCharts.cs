using System.Globalization;

namespace Vedette.Server.Console;

/// <summary>One stack of a stacked bar chart (or the only series of a bar chart): its name in the legend, its CSS class, its value per category.</summary>
internal sealed record ChartSeries(string Name, string CssClass, IReadOnlyList<int> Values);

/// <summary>
/// Charts as inline SVG written by the server: no script, and no style attribute (the CSP forbids inline styles), so
/// colours come from CSS classes. Every chart is an image with a title and a text summary for screen readers, axis
/// labels and a legend; each bar carries its figure in a tooltip. A chart with nothing to draw says so instead.
/// All text goes through <see cref="HtmlWriter"/>: labels are data (rule titles come from alerts).
/// </summary>
internal static class SvgCharts
{
    private const double Width = 640;
    private const int MaxLabelLength = 42;

    /// <summary>
    /// Vertical bars, one per category, each a stack of the series (the first series at the bottom).
    /// <paramref name="labelEvery"/> thins the category labels when there are many.
    /// </summary>
    public static void StackedBars(HtmlWriter html, string id, string title, string summary, string xAxis, string yAxis,
        IReadOnlyList<string> categories, IReadOnlyList<ChartSeries> series, string emptyMessage, int labelEvery = 1)
    {
        var totals = new int[categories.Count];
        foreach (var s in series)
        {
            for (var i = 0; i < totals.Length; i++)
            {
                totals[i] += s.Values[i];
            }
        }
        var max = totals.Length == 0 ? 0 : totals.Max();
        if (max == 0)
        {
            Empty(html, id, title, emptyMessage);
            return;
        }
        const double left = 52, right = 12, top = 34, bottom = 46, height = 280;
        var plotWidth = Width - left - right;
        var plotHeight = height - top - bottom;
        var scale = NiceMax(max);
        Open(html, id, title, summary, height);
        Legend(html, series, left);
        YAxis(html, scale, left, top, plotWidth, plotHeight, yAxis);
        var slot = plotWidth / categories.Count;
        var barWidth = Math.Max(1, slot * 0.7);
        html.M("<g class=\"bars\">");
        for (var i = 0; i < categories.Count; i++)
        {
            var x = left + (slot * i) + ((slot - barWidth) / 2);
            var baseline = top + plotHeight;
            foreach (var s in series)
            {
                var value = s.Values[i];
                if (value == 0)
                {
                    continue;
                }
                var barHeight = plotHeight * value / scale;
                baseline -= barHeight;
                Rect(html, "bar " + s.CssClass, x, baseline, barWidth, barHeight, $"{categories[i]}, {s.Name}: {N(value)}");
            }
        }
        html.M("</g><g class=\"x-labels\">");
        for (var i = 0; i < categories.Count; i += labelEvery)
        {
            Text(html, "tick", left + (slot * i) + (slot / 2), top + plotHeight + 16, "middle", categories[i]);
        }
        html.M("</g>");
        Text(html, "axis-label", left + (plotWidth / 2), height - 6, "middle", xAxis);
        html.M("</svg></figure>");
    }

    /// <summary>Horizontal bars with their labels on the left and their figure at their end: a ranking.</summary>
    public static void HorizontalBars(HtmlWriter html, string id, string title, string summary, string xAxis,
        IReadOnlyList<(string Label, int Value)> bars, ChartSeriesStyle style, string emptyMessage)
    {
        var max = bars.Count == 0 ? 0 : bars.Max(b => b.Value);
        if (max == 0)
        {
            Empty(html, id, title, emptyMessage);
            return;
        }
        const double left = 270, right = 48, top = 34, row = 24, bottom = 40;
        var plotWidth = Width - left - right;
        var plotHeight = row * bars.Count;
        var height = top + plotHeight + bottom;
        var scale = NiceMax(max);
        Open(html, id, title, summary, height);
        Legend(html, [new ChartSeries(style.Name, style.CssClass, [])], left);
        html.M("<g class=\"bars\">");
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, value) = bars[i];
            var y = top + (row * i);
            Text(html, "label", left - 8, y + (row / 2) + 4, "end", Shorten(label));
            var barWidth = plotWidth * value / scale;
            Rect(html, "bar " + style.CssClass, left, y + 4, Math.Max(barWidth, 1), row - 8, $"{label}: {N(value)}");
            Text(html, "value", left + barWidth + 4, y + (row / 2) + 4, "start", N(value));
        }
        html.M("</g>");
        var axis = top + plotHeight;
        html.M("<g class=\"axis\">");
        Line(html, left, axis, left + plotWidth, axis);
        foreach (var tick in Ticks(scale))
        {
            Text(html, "tick", left + (plotWidth * tick / scale), axis + 14, "middle", N(tick));
        }
        html.M("</g>");
        Text(html, "axis-label", left + (plotWidth / 2), height - 6, "middle", xAxis);
        html.M("</svg></figure>");
    }

    /// <summary>
    /// One line per series over the categories, with a marker (and its figure in a tooltip) at each value; a null
    /// value (nothing measured in that category) breaks the line rather than drawing it down to zero.
    /// </summary>
    public static void Lines(HtmlWriter html, string id, string title, string summary, string xAxis, string yAxis,
        IReadOnlyList<string> categories, IReadOnlyList<LineSeries> series, string emptyMessage, int labelEvery = 1)
    {
        var max = series.SelectMany(s => s.Values).Max(v => v ?? 0);
        if (categories.Count == 0 || series.All(s => s.Values.All(v => v is null)))
        {
            Empty(html, id, title, emptyMessage);
            return;
        }
        const double left = 52, right = 12, top = 34, bottom = 46, height = 280;
        var plotWidth = Width - left - right;
        var plotHeight = height - top - bottom;
        var scale = NiceMax(Math.Max(1, (int)Math.Ceiling(max)));
        Open(html, id, title, summary, height);
        Legend(html, [.. series.Select(s => new ChartSeries(s.Name, s.CssClass, []))], left);
        YAxis(html, scale, left, top, plotWidth, plotHeight, yAxis);
        var slot = plotWidth / categories.Count;
        foreach (var s in series)
        {
            html.M("<g").A("class", "line " + s.CssClass).M(">");
            var points = new List<string>();
            for (var i = 0; i <= categories.Count; i++)
            {
                if (i < categories.Count && s.Values[i] is { } value)
                {
                    points.Add($"{N(left + (slot * i) + (slot / 2))},{N(top + plotHeight - (plotHeight * value / scale))}");
                    continue;
                }
                if (points.Count > 1)
                {
                    html.M("<polyline").A("points", string.Join(' ', points)).M("></polyline>");
                }
                points.Clear();
            }
            for (var i = 0; i < categories.Count; i++)
            {
                if (s.Values[i] is { } value)
                {
                    html.M("<circle").A("class", "marker").A("cx", N(left + (slot * i) + (slot / 2))).A("cy", N(top + plotHeight - (plotHeight * value / scale)))
                        .M(" r=\"3\"><title>").T($"{categories[i]}, {s.Name}: {s.Format(value)}").M("</title></circle>");
                }
            }
            html.M("</g>");
        }
        html.M("<g class=\"x-labels\">");
        for (var i = 0; i < categories.Count; i += labelEvery)
        {
            Text(html, "tick", left + (slot * i) + (slot / 2), top + plotHeight + 16, "middle", categories[i]);
        }
        html.M("</g>");
        Text(html, "axis-label", left + (plotWidth / 2), height - 6, "middle", xAxis);
        html.M("</svg></figure>");
    }

    /// <summary>The smallest 1, 2 or 5 times a power of ten at or above <paramref name="max"/>: a round top for the axis.</summary>
    public static int NiceMax(int max)
    {
        var power = 1;
        while (true)
        {
            foreach (var step in (ReadOnlySpan<int>)[1, 2, 5])
            {
                if (step * power >= max)
                {
                    return step * power;
                }
            }
            power *= 10;
        }
    }

    private static int[] Ticks(int scale) => scale % 2 == 0 ? [0, scale / 2, scale] : [0, scale];

    private static void Open(HtmlWriter html, string id, string title, string summary, double height)
    {
        html.M("<figure class=\"chart\"").A("id", id).M("><figcaption>").T(title).M("</figcaption>")
            .M("<svg class=\"chart\" role=\"img\" preserveAspectRatio=\"xMinYMin meet\"")
            .A("viewBox", $"0 0 {N(Width)} {N(height)}").A("aria-label", title + ". " + summary).M("><title>").T(title).M("</title>");
    }

    private static void Empty(HtmlWriter html, string id, string title, string message) =>
        html.M("<figure class=\"chart chart-empty\"").A("id", id).M("><figcaption>").T(title).M("</figcaption>")
            .El("p", message, "empty").M("</figure>");

    private static void Legend(HtmlWriter html, IReadOnlyList<ChartSeries> series, double left)
    {
        html.M("<g class=\"legend\">");
        var x = left;
        foreach (var s in series)
        {
            Rect(html, "swatch " + s.CssClass, x, 8, 12, 12, null);
            Text(html, "legend-label", x + 16, 18, "start", s.Name);
            x += 24 + (7 * s.Name.Length);
        }
        html.M("</g>");
    }

    private static void YAxis(HtmlWriter html, int scale, double left, double top, double plotWidth, double plotHeight, string label)
    {
        html.M("<g class=\"axis\">");
        foreach (var tick in Ticks(scale))
        {
            var y = top + plotHeight - (plotHeight * tick / scale);
            Line(html, left, y, left + plotWidth, y, tick == 0 ? "baseline" : "grid");
            Text(html, "tick", left - 6, y + 4, "end", N(tick));
        }
        html.M("</g>");
        // Rotated along the axis; the transform is an SVG attribute, not a style, so the CSP allows it.
        html.M("<text class=\"axis-label\" text-anchor=\"middle\"").A("transform", $"translate(14 {N(top + (plotHeight / 2))}) rotate(-90)").M(">")
            .T(label).M("</text>");
    }

    private static void Rect(HtmlWriter html, string cssClass, double x, double y, double width, double height, string? tooltip)
    {
        html.M("<rect").A("class", cssClass).A("x", N(x)).A("y", N(y)).A("width", N(width)).A("height", N(height));
        if (tooltip is null)
        {
            html.M("></rect>");
            return;
        }
        html.M("><title>").T(tooltip).M("</title></rect>");
    }

    private static void Line(HtmlWriter html, double x1, double y1, double x2, double y2, string cssClass = "baseline") =>
        html.M("<line").A("class", cssClass).A("x1", N(x1)).A("y1", N(y1)).A("x2", N(x2)).A("y2", N(y2)).M("></line>");

    private static void Text(HtmlWriter html, string cssClass, double x, double y, string anchor, string text) =>
        html.M("<text").A("class", cssClass).A("x", N(x)).A("y", N(y)).A("text-anchor", anchor).M(">").T(text).M("</text>");

    /// <summary>Long rule titles are cut on the chart; the bar's tooltip and the summary keep them whole.</summary>
    private static string Shorten(string label)
    {
        if (label.Length <= MaxLabelLength)
        {
            return label;
        }
        var cut = MaxLabelLength - 1;
        // Never half of a surrogate pair: the rest of the title may be in any script.
        if (char.IsHighSurrogate(label[cut - 1]))
        {
            cut--;
        }
        return string.Concat(label.AsSpan(0, cut), "…");
    }

    private static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>One line of a line chart: its name in the legend, its CSS class, its value per category (null: none), and how a value reads in its tooltip.</summary>
internal sealed record LineSeries(string Name, string CssClass, IReadOnlyList<double?> Values, Func<double, string> Format);

/// <summary>The look of a single-series chart: its name in the legend and its CSS class.</summary>
internal sealed record ChartSeriesStyle(string Name, string CssClass);

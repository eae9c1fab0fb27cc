using System.Globalization;
using System.Net;
using System.Text;
using SchedCP.Agents;

/// <summary>
/// A before/after chart of an optimisation as SVG: one bar per measured candidate against EEVDF in the same guest,
/// with each bar's spread as a whisker. Plain SVG, so it renders in a browser, a README or a CI artifact.
/// </summary>
internal static class ResultChart
{
    private const int Width = 720;
    private const int RowHeight = 28;
    private const int LabelWidth = 300;

    public static string Svg(OptimizationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var measured = result.Candidates.Where(c => c.Change is not null).ToList();
        var rows = new List<(string Label, double Mean, double Sd, bool Baseline, bool Best)>();
        if (measured.Count > 0)
        {
            // The baseline of the final round (the best's, else the first measured).
            var baseline = (result.Best ?? measured[0]).Change!.Baseline;
            rows.Add(("EEVDF (same guest)", baseline.Mean, baseline.StdDev, true, false));
        }

        rows.AddRange(measured.Select(c => (c.Spec.Label, c.Change!.Current.Mean, c.Change.Current.StdDev, false, ReferenceEquals(c, result.Best))));
        var max = rows.Count == 0 ? 1 : rows.Max(r => r.Mean + r.Sd) * 1.1;
        var plot = Width - LabelWidth - 90;
        var height = 50 + (rows.Count * RowHeight) + 20;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"8\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{Escape(result.Workload)}: {Escape(result.Kpi)} ({(result.Direction == SchedCP.Kernel.Analysis.KpiDirection.LowerIsBetter ? "lower" : "higher")} is better)</text>\n");
        for (var i = 0; i < rows.Count; i++)
        {
            var (label, mean, sd, isBaseline, isBest) = rows[i];
            var y = 40 + (i * RowHeight);
            var w = mean / max * plot;
            var colour = isBaseline ? "#888888" : isBest ? "#2a9d3f" : "#4a78b5";
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"8\" y=\"{y + 15}\">{Escape(label)}</text>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{y + 4}\" width=\"{w:F1}\" height=\"{RowHeight - 10}\" fill=\"{colour}\"/>\n");
            var lo = Math.Max(0, mean - sd) / max * plot;
            var hi = (mean + sd) / max * plot;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{LabelWidth + lo:F1}\" x2=\"{LabelWidth + hi:F1}\" y1=\"{y + 13}\" y2=\"{y + 13}\" stroke=\"black\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + hi + 6:F1}\" y=\"{y + 17}\">{mean:G4}</text>\n");
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}

using System.Globalization;
using System.Text;
using SchedCP.Console.Api;
using SchedCP.Console.Feed;

namespace SchedCP.Console.Pages;

/// <summary>Inline SVG: the candidates side by side with the baseline, cost per stage, and a DAG with its critical path.</summary>
internal static class Charts
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void SideBySide(StringBuilder html, OptimizationLoopView loop)
    {
        var measured = loop.Candidates.Where(c => c.Value is not null || c.Baseline is not null).ToList();
        if (measured.Count == 0)
        {
            html.Append("<p class=\"muted\">No candidate measured yet.</p>");
            return;
        }

        const int Row = 34, Left = 170, Width = 420;
        var max = measured.Max(c => Math.Max(c.Value ?? 0, c.Baseline ?? 0));
        max = max <= 0 ? 1 : max;
        var height = (measured.Count * Row) + 30;
        html.Append(Inv, $"<svg class=\"chart\" id=\"side-by-side\" role=\"img\" aria-label=\"{Page.E(loop.Metric)} per candidate against the baseline\" viewBox=\"0 0 {Left + Width + 90} {height}\" width=\"{Left + Width + 90}\" height=\"{height}\">");
        for (var i = 0; i < measured.Count; i++)
        {
            var c = measured[i];
            var y = (i * Row) + 4;
            html.Append(Inv, $"<text x=\"{Left - 6}\" y=\"{y + 16}\" text-anchor=\"end\">{Page.E(Short(c.Label, 24))}</text>");
            if (c.Baseline is { } b)
            {
                html.Append(Inv, $"<rect class=\"bar-base\" x=\"{Left}\" y=\"{y}\" width=\"{Width * Math.Max(0, b) / max:F1}\" height=\"12\"><title>baseline {b:G4}</title></rect>");
            }

            if (c.Value is { } v)
            {
                var better = string.Equals(c.Verdict, CandidateView.Better, StringComparison.OrdinalIgnoreCase);
                html.Append(Inv, $"<rect class=\"{(better ? "bar-better" : "bar-cand")}\" x=\"{Left}\" y=\"{y + 13}\" width=\"{Width * Math.Max(0, v) / max:F1}\" height=\"12\"><title>{Page.E(c.Label)} {v:G4}</title></rect>");
                html.Append(Inv, $"<text x=\"{Left + (Width * Math.Max(0, v) / max) + 4:F1}\" y=\"{y + 24}\">{v:G4}{(c.Ratio is { } ratio ? $" ({ratio:P0})" : "")}</text>");
            }
        }

        html.Append(Inv, $"<text x=\"{Left}\" y=\"{height - 4}\" class=\"muted\">grey: EEVDF · blue: candidate · green: judged better ({(loop.HigherIsBetter ? "higher" : "lower")} is better)</text></svg>");
    }

    public static void Cost(StringBuilder html, OptimizationLoopView loop)
    {
        if (loop.Cost.Count == 0)
        {
            html.Append("<p class=\"muted\">No cost reported yet.</p>");
            return;
        }

        const int Row = 22, Left = 130, Width = 300;
        var max = loop.Cost.Max(c => c.WallSeconds);
        max = max <= 0 ? 1 : max;
        var height = (loop.Cost.Count * Row) + 6;
        html.Append(Inv, $"<svg class=\"chart\" id=\"cost-chart\" role=\"img\" aria-label=\"wall time per stage\" viewBox=\"0 0 {Left + Width + 200} {height}\" width=\"{Left + Width + 200}\" height=\"{height}\">");
        for (var i = 0; i < loop.Cost.Count; i++)
        {
            var c = loop.Cost[i];
            var y = (i * Row) + 3;
            var w = Width * c.WallSeconds / max;
            html.Append(Inv, $"<text x=\"{Left - 6}\" y=\"{y + 13}\" text-anchor=\"end\">{Page.E(Short(c.Stage, 18))}</text><rect class=\"bar-cost\" x=\"{Left}\" y=\"{y}\" width=\"{w:F1}\" height=\"16\"/>");
            html.Append(Inv, $"<text x=\"{Left + w + 4:F1}\" y=\"{y + 13}\">{c.WallSeconds:F1} s · {c.ModelCalls} calls · {c.Tokens} tok · {c.Cost:0.####}</text>");
        }

        html.Append("</svg>");
    }

    public static void Dag(StringBuilder html, DagDto dag)
    {
        if (dag.Tasks.Count == 0)
        {
            html.Append("<p class=\"muted\">No DAG submitted yet.</p>");
            return;
        }

        // Layer each task one past its deepest dependency; lay layers out left to right.
        var level = new Dictionary<string, int>(StringComparer.Ordinal);
        var byId = dag.Tasks.ToDictionary(t => t.Id, StringComparer.Ordinal);
        int Level(string id, int depth)
        {
            if (level.TryGetValue(id, out var known))
            {
                return known;
            }

            var l = depth > byId.Count ? 0 : byId[id].DependsOn.Where(byId.ContainsKey).Select(d => Level(d, depth + 1) + 1).DefaultIfEmpty(0).Max();
            level[id] = l;
            return l;
        }

        foreach (var t in dag.Tasks)
        {
            Level(t.Id, 0);
        }

        const int ColumnWidth = 170, RowHeight = 54, NodeWidth = 130, NodeHeight = 34;
        var rows = new Dictionary<int, int>();
        var position = new Dictionary<string, (int X, int Y)>(StringComparer.Ordinal);
        foreach (var t in dag.Tasks.OrderBy(t => level[t.Id]))
        {
            var l = level[t.Id];
            var r = rows.GetValueOrDefault(l);
            rows[l] = r + 1;
            position[t.Id] = ((l * ColumnWidth) + 10, (r * RowHeight) + 10);
        }

        var width = ((rows.Keys.Max() + 1) * ColumnWidth) + 10;
        var height = (rows.Values.Max() * RowHeight) + 10;
        html.Append(Inv, $"<svg class=\"chart dag\" id=\"dag-chart\" role=\"img\" aria-label=\"task DAG, critical path in red\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">");
        foreach (var t in dag.Tasks)
        {
            var (x, y) = position[t.Id];
            foreach (var d in t.DependsOn.Where(position.ContainsKey))
            {
                var (dx, dy) = position[d];
                var critical = t.Critical && byId[d].Critical;
                html.Append(Inv, $"<line class=\"{(critical ? "edge-critical" : "edge")}\" x1=\"{dx + NodeWidth}\" y1=\"{dy + (NodeHeight / 2)}\" x2=\"{x}\" y2=\"{y + (NodeHeight / 2)}\"/>");
            }
        }

        foreach (var t in dag.Tasks)
        {
            var (x, y) = position[t.Id];
            html.Append(Inv, $"<g class=\"node state-{t.State.ToLowerInvariant()}{(t.Critical ? " critical" : "")}\" data-task=\"{Page.E(t.Id)}\"><rect x=\"{x}\" y=\"{y}\" width=\"{NodeWidth}\" height=\"{NodeHeight}\" rx=\"5\"/>");
            html.Append(Inv, $"<text x=\"{x + 6}\" y=\"{y + 14}\">{Page.E(Short(t.Id, 18))}</text><text x=\"{x + 6}\" y=\"{y + 28}\" class=\"small\">{Page.E(t.State)}{(t.Pool is null ? "" : " @ " + Page.E(Short(t.Pool, 10)))}</text></g>");
        }

        html.Append("</svg>");
    }

    public static void Budget(StringBuilder html, DagDto dag)
    {
        var total = dag.Spent + dag.Committed + dag.RemainingEstimate;
        var scale = Math.Max(total, dag.Limit ?? 0);
        scale = scale <= 0 ? 1 : scale;
        const int Width = 500;
        double W(decimal v) => (double)(v / scale) * Width;
        html.Append(Inv, $"<svg class=\"chart\" id=\"budget-chart\" role=\"img\" aria-label=\"budget\" viewBox=\"0 0 {Width + 10} 40\" width=\"{Width + 10}\" height=\"40\">");
        html.Append(Inv, $"<rect class=\"bar-spent\" x=\"0\" y=\"4\" width=\"{W(dag.Spent):F1}\" height=\"18\"><title>spent {dag.Spent:0.####}</title></rect>");
        html.Append(Inv, $"<rect class=\"bar-committed\" x=\"{W(dag.Spent):F1}\" y=\"4\" width=\"{W(dag.Committed):F1}\" height=\"18\"><title>committed {dag.Committed:0.####}</title></rect>");
        html.Append(Inv, $"<rect class=\"bar-remaining\" x=\"{W(dag.Spent + dag.Committed):F1}\" y=\"4\" width=\"{W(dag.RemainingEstimate):F1}\" height=\"18\"><title>remaining estimate {dag.RemainingEstimate:0.####}</title></rect>");
        if (dag.Limit is { } limit)
        {
            html.Append(Inv, $"<line class=\"limit\" x1=\"{W(limit):F1}\" y1=\"0\" x2=\"{W(limit):F1}\" y2=\"26\"/>");
        }

        html.Append(Inv, $"<text x=\"0\" y=\"37\">spent {dag.Spent:0.####} · committed {dag.Committed:0.####} · remaining ≈ {dag.RemainingEstimate:0.####}{(dag.Limit is { } l ? $" · limit {l:0.####}" : "")}{(dag.OverBudget ? " · OVER BUDGET" : "")}</text></svg>");
    }

    private static string Short(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}

using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace SchedCP.Console.Pages;

/// <summary>The page frame: navigation, the live region the script refreshes, security headers.</summary>
internal static class Page
{
    private static readonly (string Path, string Title)[] Nav =
        [("/", "Overview"), ("/agents", "Agents"), ("/locks", "Work units"), ("/loops", "Optimise loops"), ("/dags", "DAGs"), ("/runs", "Runs & replay"), ("/audit", "Audit")];

    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>A whole page, or only its live region when the script asks for <c>?fragment=1</c>.</summary>
    public static IResult Render(HttpContext context, string title, string section, Action<StringBuilder> body, bool live = true)
    {
        var html = new StringBuilder(4096);
        var fragment = context.Request.Query["fragment"] == "1";
        if (!fragment)
        {
            html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append(" · SchedCP console</title>")
                .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><link rel=\"stylesheet\" href=\"/static/console.css\"><script src=\"/static/console.js\" defer></script></head><body>")
                .Append("<header><span class=\"brand\">SchedCP console</span><nav>");
            foreach (var (path, name) in Nav)
            {
                html.Append("<a href=\"").Append(path).Append('"').Append(path == section ? " class=\"current\"" : "").Append('>').Append(E(name)).Append("</a>");
            }

            html.Append("</nav><span id=\"live-status\" class=\"muted\">").Append(live ? "connecting…" : "").Append("</span></header>")
                .Append("<main id=\"live\"").Append(live ? " data-live=\"1\"" : "").Append('>');
        }

        html.Append("<h1>").Append(E(title)).Append("</h1>");
        body(html);
        if (!fragment)
        {
            html.Append("</main></body></html>");
        }

        Secure(context.Response);
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }

    public static void Secure(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-store";
        // same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" with the login form, which the guard refuses.
        response.Headers["Referrer-Policy"] = "same-origin";
    }

    public static void Table(StringBuilder html, string id, string[] headers, IEnumerable<string[]> rows, string empty)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            html.Append("<p class=\"muted\" id=\"").Append(id).Append("-empty\">").Append(E(empty)).Append("</p>");
            return;
        }

        html.Append("<table id=\"").Append(id).Append("\"><thead><tr>");
        foreach (var h in headers)
        {
            html.Append("<th>").Append(E(h)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in list)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                // Cells are pre-encoded HTML.
                html.Append("<td>").Append(cell).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
    }
}

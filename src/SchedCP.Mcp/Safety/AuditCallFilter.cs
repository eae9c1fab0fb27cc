using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace SchedCP.Mcp.Safety;

/// <summary>
/// Wraps every tool call: opens an <see cref="AuditedCall"/> with the caller (from the request's user, which the HTTP
/// endpoint's authentication fills in) and, when the guard logged a decision during the call, appends the outcome
/// after it: <c>ok</c>, or <c>error: kind</c>.
/// </summary>
public static class AuditCallFilter
{
    /// <summary>The filter, for <c>WithRequestFilters(f =&gt; f.AddCallToolFilter(AuditCallFilter.Create()))</c>.</summary>
    /// <returns>The filter.</returns>
    public static McpRequestFilter<CallToolRequestParams, CallToolResult> Create() => next => async (context, cancellationToken) =>
    {
        ArgumentNullException.ThrowIfNull(context);
        var audit = context.Services?.GetService<JsonLinesAuditLog>();
        var call = new AuditedCall(Guid.NewGuid().ToString("N")[..16], context.Params?.Name ?? "?", AuditCaller.From(context.User));
        var outer = AuditedCall.Current;
        AuditedCall.Current = call;
        try
        {
            var result = await next(context, cancellationToken).ConfigureAwait(false);
            if (call.Decided && audit is not null)
            {
                audit.AppendOutcome(call, result.IsError == true ? "error: tool error" : "ok");
            }

            return result;
        }
        catch (Exception e) when (call.Decided && audit is not null)
        {
            audit.AppendOutcome(call, "error: " + (e is OperationCanceledException ? "cancelled" : e is McpException ? "refused or failed" : e.GetType().Name));
            throw;
        }
        finally
        {
            AuditedCall.Current = outer;
        }
    };
}

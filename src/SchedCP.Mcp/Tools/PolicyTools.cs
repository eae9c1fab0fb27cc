using System.ComponentModel;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using SchedCP.Mcp.Safety;
using SchedCP.Repository;

namespace SchedCP.Mcp.Tools;

/// <summary>Read-only tools over the policy repository: search first (summaries), details on request.</summary>
[McpServerToolType]
public sealed class PolicyTools(PolicyRepository repository, ToolCallGuard guard)
{
    /// <summary>Lists the schedulers in the repository, a line each.</summary>
    /// <param name="limit">How many to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Summaries.</returns>
    [McpServerTool(Name = "list_schedulers", ReadOnly = true, UseStructuredContent = true)]
    [Description("Lists the schedulers in the repository (name, kind, lifecycle, one-line headline). Short by default; raise 'limit' for more.")]
    public async Task<PolicyList> ListSchedulersAsync(
        [Description("How many schedulers to return (1-50).")] int limit = 10,
        CancellationToken cancellationToken = default)
    {
        guard.Limit("list_schedulers", limit);
        await repository.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var all = await repository.Store.ListPoliciesAsync(cancellationToken).ConfigureAwait(false);
        return new PolicyList(all.Count, [.. all.OrderBy(p => p.Name, StringComparer.Ordinal).Take(limit).Select(p => p.ToSummary())]);
    }

    /// <summary>Searches policies by workload description.</summary>
    /// <param name="query">The description.</param>
    /// <param name="limit">How many results.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Ranked summaries.</returns>
    [McpServerTool(Name = "search_policies", ReadOnly = true, UseStructuredContent = true)]
    [Description("Searches the policy repository by a workload or goal description and returns ranked one-line summaries. Call get_policy for the details of one.")]
    public async Task<PolicyList> SearchPoliciesAsync(
        [Description("What the workload is or what to optimise, e.g. 'latency sensitive web server'.")] string query,
        [Description("How many results (1-50).")] int limit = 5,
        CancellationToken cancellationToken = default)
    {
        var text = ToolCallGuard.Text("search_policies", "query", query, 500);
        guard.Limit("search_policies", limit);
        var found = await repository.SearchAsync(new PolicySearchQuery(text) { Limit = limit }, cancellationToken).ConfigureAwait(false);
        return new PolicyList(found.Count, found);
    }

    /// <summary>One policy's details.</summary>
    /// <param name="name">The policy name.</param>
    /// <param name="detail">Whether to include the source and every parameter description.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The details.</returns>
    [McpServerTool(Name = "get_policy", ReadOnly = true, UseStructuredContent = true)]
    [Description("Returns one policy's description, algorithm, parameters and presets. Set detail=true for the full source and limitations.")]
    public async Task<PolicyDetails> GetPolicyAsync(
        [Description("The policy name from search_policies or list_schedulers.")] string name,
        [Description("Include the source code and limitations (large).")] bool detail = false,
        CancellationToken cancellationToken = default)
    {
        var policyName = ToolCallGuard.Name("get_policy", "name", name);
        if (PolicyName.Validate(name) is { Succeeded: false } invalidName)
        {
            throw new McpException($"get_policy: {invalidName.Failure.Message} Call search_policies to find a policy name.");
        }

        var outcome = await repository.GetPolicyAsync(policyName, cancellationToken).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            throw new McpException($"get_policy: {outcome.Failure!.Describe()} Call search_policies to find a policy name.");
        }

        var p = outcome.Value!;
        return new PolicyDetails(
            p.Name,
            p.Kind.ToString(),
            p.Lifecycle.ToString(),
            p.Description,
            p.Algorithm,
            [.. p.Parameters.Select(s => new ParameterInfo(s.Name, s.Type.ToString(), s.Minimum, s.Maximum, detail ? s.Description : null))],
            [.. p.Presets.Select(m => m.Mode.ToString())],
            detail ? p.Limitations : null,
            detail ? p.Source?.Content : null);
    }
}

/// <summary>A page of policy summaries.</summary>
/// <param name="Total">How many matched.</param>
/// <param name="Items">The returned summaries.</param>
public sealed record PolicyList(int Total, IReadOnlyList<PolicySummary> Items);

/// <summary>A policy's details.</summary>
/// <param name="Name">Name.</param>
/// <param name="Kind">How it runs.</param>
/// <param name="Lifecycle">Where it is in its life.</param>
/// <param name="Description">What it does.</param>
/// <param name="Algorithm">How it does it.</param>
/// <param name="Parameters">Its typed parameters.</param>
/// <param name="Modes">Modes with presets.</param>
/// <param name="Limitations">Known limitations (detail only).</param>
/// <param name="Source">Source code (detail only).</param>
public sealed record PolicyDetails(string Name, string Kind, string Lifecycle, string Description, string Algorithm, IReadOnlyList<ParameterInfo> Parameters, IReadOnlyList<string> Modes, IReadOnlyList<string>? Limitations, string? Source);

/// <summary>One typed parameter.</summary>
/// <param name="Name">Name.</param>
/// <param name="Type">Type.</param>
/// <param name="Minimum">Lowest value.</param>
/// <param name="Maximum">Highest value.</param>
/// <param name="Description">What it does (detail only).</param>
public sealed record ParameterInfo(string Name, string Type, decimal? Minimum, decimal? Maximum, string? Description);

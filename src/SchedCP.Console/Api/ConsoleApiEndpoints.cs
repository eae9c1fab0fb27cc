using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SchedCP.Console.Audit;
using SchedCP.Console.Feed;
using SchedCP.Console.Security;

namespace SchedCP.Console.Api;

/// <summary>The console's HTTP API under <c>/api</c>: the pages' data as JSON, and the audited lifecycle actions.</summary>
internal static class ConsoleApiEndpoints
{
    public const int MaxStep = 1_000_000;
    public const int MaxReasonLength = 500;
    private static readonly string[] Actions = ["pause", "resume", "terminate"];

    public static void Map(IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api").WithTags("console");
        api.MapGet("/runtimes", (ConsoleFeed feed) => Json(feed.Runtimes.SelectMany(r => ConsoleSnapshots.Agents(r.Key, r.Value)).ToList()))
            .WithName("ListAgents").WithSummary("Every agent of every attached runtime, with its state.").Produces<List<AgentDto>>();
        api.MapGet("/runtimes/{runtime}/locks", (string runtime, ConsoleFeed feed) =>
                Valid(runtime) ?? (feed.Runtime(runtime) is { } r ? Json(ConsoleSnapshots.Locks(runtime, r)) : NotFound($"No runtime '{runtime}' is attached.")))
            .WithName("GetLocks").WithSummary("A runtime's leases (holders) and waiting claims in FIFO order.").Produces<LocksDto>().Produces<ErrorDto>(400).Produces<ErrorDto>(404);
        api.MapGet("/runtimes/{runtime}/agents/{agent}/changes", (string runtime, string agent, ConsoleFeed feed) =>
                Valid(runtime, agent) ?? (feed.Runtime(runtime) is { } r && ConsoleSnapshots.Changes(runtime, r, agent) is { } c ? Json(c) : NotFound($"No agent '{agent}' in runtime '{runtime}'.")))
            .WithName("GetChangeSet").WithSummary("An agent's change set as unified diffs.").Produces<ChangeSetDto>().Produces<ErrorDto>(400).Produces<ErrorDto>(404);
        api.MapPost("/runtimes/{runtime}/agents/{agent}/{action}", ActAsync)
            .WithName("ActOnAgent").WithSummary("Pauses, resumes or terminates an agent at its next scheduling point; audited. Optional JSON body {\"reason\": \"...\"}.")
            .Accepts<ActionRequest>("application/json").Produces<ActionResult>().Produces<ErrorDto>(400).Produces<ErrorDto>(403).Produces<ErrorDto>(404).Produces<ErrorDto>(409).Produces<ErrorDto>(413);
        api.MapGet("/loops", (ConsoleFeed feed) => Json(feed.Loops))
            .WithName("ListLoops").WithSummary("Optimisation loops: stages, candidates, verifier reports, cost.").Produces<List<OptimizationLoopView>>();
        api.MapGet("/loops/{loop}", (string loop, ConsoleFeed feed) => Valid(loop) ?? (feed.Loop(loop) is { } l ? Json(l) : NotFound($"No loop '{loop}'.")))
            .WithName("GetLoop").WithSummary("One optimisation loop.").Produces<OptimizationLoopView>().Produces<ErrorDto>(400).Produces<ErrorDto>(404);
        api.MapGet("/dags", (ConsoleFeed feed) => Json(feed.Orchestrators.Select(o => ConsoleSnapshots.Dag(o.Key, o.Value)).ToList()))
            .WithName("ListDags").WithSummary("Every attached orchestrator's DAG with critical path and budget.").Produces<List<DagDto>>();
        api.MapGet("/dags/{dag}", (string dag, ConsoleFeed feed) => Valid(dag) ?? (feed.Orchestrator(dag) is { } o ? Json(ConsoleSnapshots.Dag(dag, o)) : NotFound($"No orchestrator '{dag}'.")))
            .WithName("GetDag").WithSummary("One orchestrator's DAG.").Produces<DagDto>().Produces<ErrorDto>(400).Produces<ErrorDto>(404);
        api.MapGet("/runs", (ConsoleFeed feed) => Json(feed.Runs.Select(ConsoleSnapshots.Summary).Concat(feed.Runtimes.Where(r => feed.Runs.All(x => x.Id != r.Key)).Select(r => new RunSummaryDto(r.Key, r.Value.EventLog.ReadAll().Count, true, false))).ToList()))
            .WithName("ListRuns").WithSummary("Recorded and live runs.").Produces<List<RunSummaryDto>>();
        api.MapGet("/runs/{run}/replay", (string run, HttpContext context, ConsoleFeed feed) =>
            {
                if (Valid(run) is { } invalid)
                {
                    return invalid;
                }

                if (Step(context, out var step) is { } badStep)
                {
                    return badStep;
                }

                return feed.Run(run) is { } r ? Json(ConsoleSnapshots.Step(r, step ?? r.Events.Count)) : NotFound($"No run '{run}'.");
            })
            .WithName("ReplayRun").WithSummary("The run's state after ?step=N events (default: all): agents, leases, FIFO waiters, divergence.").Produces<ReplayStepDto>().Produces<ErrorDto>(400).Produces<ErrorDto>(404);
        api.MapGet("/state/runs", (ConsoleFeed feed) => feed.State is { } state ? Json(state.Runs.List().Select(ConsoleSnapshots.StoredRun).ToList()) : NoState())
            .WithName("ListStoredRuns").WithSummary("Agent runs kept in the runtime state file (schedcp console --state): every runtime's, killed ones included.").Produces<List<StoredRunDto>>().Produces<ErrorDto>(404);
        api.MapGet("/state/artifacts", (ConsoleFeed feed) => feed.State is { } state ? Json(state.Artifacts.List().Select(ConsoleSnapshots.StoredArtifact).ToList()) : NoState())
            .WithName("ListStoredArtifacts").WithSummary("Artifacts kept in the runtime state file, oldest first, without their content.").Produces<List<StoredArtifactDto>>().Produces<ErrorDto>(404);
        api.MapGet("/audit", (ConsoleAuditLog audit) => Json(audit.Recent))
            .WithName("ListAudit").WithSummary("The latest audited lifecycle actions.").Produces<List<ConsoleAuditEntry>>();
    }

    /// <summary>Reads an optional <c>step</c> query value in [0, <see cref="MaxStep"/>].</summary>
    internal static IResult? Step(HttpContext context, out int? step)
    {
        step = null;
        var values = context.Request.Query["step"];
        if (values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1 || values[0] is not { Length: > 0 and <= 7 } text || !int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n > MaxStep)
        {
            return Error(400, $"step must be a whole number from 0 to {MaxStep}.");
        }

        step = n;
        return null;
    }

    private static async Task<IResult> ActAsync(string runtime, string agent, string action, HttpContext context, ConsoleFeed feed, ConsoleAuditLog audit,
        IOptions<SchedCPConsoleOptions> options, TimeProvider time)
    {
        if (Valid(runtime, agent) is { } invalid)
        {
            return invalid;
        }

        if (!Actions.Contains(action, StringComparer.Ordinal))
        {
            return Error(404, $"Unknown action '{(action.Length > 20 ? action[..20] : action)}': use pause, resume or terminate.");
        }

        var (reason, problem) = await ReadReasonAsync(context, options.Value.MaxRequestBodyBytes).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var caller = ConsoleCaller.From(context.User);
        var target = $"{runtime}/{agent}";
        IResult Audited(string outcome, string detail, IResult result)
        {
            audit.Append(new ConsoleAuditEntry(time.GetUtcNow(), action, target, caller.Transport, caller.RemoteEndpoint, caller.BearerSha256, reason, outcome, detail));
            return result;
        }

        if (options.Value.ReadOnly)
        {
            return Audited("refused", "read-only console", Error(403, "This console is read-only: start it without --read-only to pause, resume or terminate agents."));
        }

        if (feed.Runtime(runtime) is not { } r)
        {
            return Audited("refused", "no such runtime", Error(404, $"No runtime '{runtime}' is attached."));
        }

        var outcome = action switch
        {
            "pause" => r.Pause(agent),
            "resume" => r.Resume(agent),
            _ => r.Terminate(agent),
        };
        if (!outcome.Succeeded)
        {
            var notFound = outcome.Failure.Kind == SchedCP.Agents.Runtime.RuntimeErrorCode.InvalidInput;
            return Audited("refused", outcome.Failure.Message, Error(notFound ? 404 : 409, outcome.Failure.Message));
        }

        feed.Changed();
        return Audited("accepted", $"queued; agent was {outcome.Value.State}", Json(new ActionResult(runtime, agent, action, outcome.Value.State.ToString())));
    }

    // The body is optional; when sent it is at most MaxRequestBodyBytes of JSON: {"reason": "..."}.
    private static async Task<(string? Reason, IResult? Problem)> ReadReasonAsync(HttpContext context, int maxBytes)
    {
        var request = context.Request;
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any(v => v?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)))
        {
            return (null, null);
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, Error(413, $"The body is larger than {maxBytes} bytes; send at most {{\"reason\": \"...\"}}."));
        }

        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Error(400, "Send the body as application/json: {\"reason\": \"...\"}."));
        }

        var buffer = new byte[maxBytes + 1];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await request.Body.ReadAsync(buffer.AsMemory(read), context.RequestAborted).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        if (read > maxBytes)
        {
            return (null, Error(413, $"The body is larger than {maxBytes} bytes."));
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, read), new JsonDocumentOptions { MaxDepth = 4 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, Error(400, "The body must be a JSON object: {\"reason\": \"...\"}."));
            }

            string? reason = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name != "reason")
                {
                    return (null, Error(400, $"Unknown field '{(property.Name.Length > 20 ? property.Name[..20] : property.Name)}': the body has only \"reason\"."));
                }

                if (property.Value.ValueKind != JsonValueKind.String || property.Value.GetString() is not { Length: <= MaxReasonLength } text)
                {
                    return (null, Error(400, $"reason must be a string of at most {MaxReasonLength} characters."));
                }

                reason = text;
            }

            return (reason, null);
        }
        catch (JsonException)
        {
            return (null, Error(400, "The body is not valid JSON: send {\"reason\": \"...\"}."));
        }
    }

    private static IResult? Valid(params string[] ids)
    {
        foreach (var id in ids)
        {
            if (!ConsoleIds.IsValid(id))
            {
                return Error(400, $"'{(id.Length > 20 ? id[..20] + "..." : id)}' is not an id: use 1 to {ConsoleIds.MaxLength} letters, digits and ._:- starting with a letter or digit.");
            }
        }

        return null;
    }

    private static IResult Json<T>(T value) => Results.Json(value, ConsoleJson.Options);

    private static IResult NotFound(string message) => Error(404, message);

    private static IResult NoState() => NotFound("No runtime state is attached: start the console with --state FILE (the runtimes' state file).");

    internal static IResult Error(int status, string message) => Results.Json(new ErrorDto(message), ConsoleJson.Options, statusCode: status);
}

namespace SchedCP.Agents.Runtime.Agents;

/// <summary>The code of an agent: it touches the world only through <paramref name="context"/>.</summary>
/// <param name="context">The agent's view of the runtime.</param>
/// <param name="cancellationToken">Fires when the agent is terminated.</param>
/// <returns>Completes when the agent is done.</returns>
public delegate Task AgentBody(AgentContext context, CancellationToken cancellationToken);

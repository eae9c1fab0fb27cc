namespace SchedCP.Agents;

/// <summary>
/// A tool call's argument was refused: the message says which argument, what was wrong and what to do. The agents'
/// function invocation sends it back to the model; the MCP server turns it into a tool error.
/// </summary>
public sealed class ToolArgumentException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public ToolArgumentException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was wrong and what to do.</param>
    public ToolArgumentException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public ToolArgumentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

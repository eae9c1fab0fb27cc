/// <summary>
/// A policy as the command line names it, <c>POLICY name=value...</c>: the name, then its parameters, which go through
/// the policy's schema before anything loads. A stray option among them is a usage error that names it.
/// </summary>
internal sealed record PolicyArguments(string? Policy, Dictionary<string, string> Parameters)
{
    /// <summary>The policy's name; a usage error when none was given.</summary>
    public string Name => Policy ?? throw new ArgumentException("name a policy (see 'schedcp list')");

    public static PolicyArguments From(IEnumerable<string>? values)
    {
        string? policy = null;
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values ?? [])
        {
            if (value.StartsWith('-'))
            {
                throw new ArgumentException($"unknown option {value}");
            }

            if (value.IndexOf('=', StringComparison.Ordinal) is > 0 and var eq)
            {
                parameters[value[..eq]] = value[(eq + 1)..];
            }
            else
            {
                policy = policy is null ? value : throw new ArgumentException($"unexpected argument '{value}': name one policy, then its parameters as name=value");
            }
        }

        return new PolicyArguments(policy, parameters);
    }
}

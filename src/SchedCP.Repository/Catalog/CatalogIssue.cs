namespace SchedCP.Repository;

/// <summary>One problem found in a catalog: where it is and what is wrong.</summary>
/// <param name="Location">The entry and field, for example <c>scx_rusty.parameters.slice_us_underutil.default</c>.</param>
/// <param name="Problem">What is wrong and what to change.</param>
public sealed record CatalogIssue(string Location, string Problem)
{
    /// <inheritdoc />
    public override string ToString() => $"{Location}: {Problem}";
}

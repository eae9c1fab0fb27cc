namespace SchedCP.Kernel.Analysis;

/// <summary>Repeated measurements of one KPI: count, mean, sample standard deviation and median.</summary>
/// <param name="Count">Measurements.</param>
/// <param name="Mean">Their mean.</param>
/// <param name="StdDev">Their sample standard deviation (n − 1); 0 for a single value.</param>
public sealed record KpiSpread(int Count, double Mean, double StdDev)
{
    /// <summary>The spread of <paramref name="values"/>.</summary>
    /// <param name="values">At least one measurement.</param>
    public static KpiSpread Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var v = values.ToArray();
        ArgumentOutOfRangeException.ThrowIfZero(v.Length, nameof(values));
        var mean = v.Average();
        var sd = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
        Array.Sort(v);
        var median = v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
        return new KpiSpread(v.Length, mean, sd) { Median = median };
    }

    /// <summary>The middle measurement (the mean of the two middle ones for an even count); 0 when not computed.</summary>
    public double Median { get; init; }

    /// <summary>Standard deviation over mean; 0 when the mean is 0.</summary>
    public double RelativeStdDev => Mean != 0 ? StdDev / Math.Abs(Mean) : 0;
}

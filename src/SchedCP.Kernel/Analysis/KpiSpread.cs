namespace SchedCP.Kernel.Analysis;

/// <summary>Repeated measurements of one KPI: count, mean and sample standard deviation.</summary>
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
        return new KpiSpread(v.Length, mean, sd);
    }

    /// <summary>Standard deviation over mean; 0 when the mean is 0.</summary>
    public double RelativeStdDev => Mean != 0 ? StdDev / Math.Abs(Mean) : 0;
}

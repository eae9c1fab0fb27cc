namespace SchedCP.Kernel.Analysis;

/// <summary>
/// The exact null distribution of the Mann-Whitney U statistic: the number of orderings of m and n values with
/// U = u is the coefficient of q^u in the Gaussian binomial [m+n choose m]_q, built here as a product of
/// (1 − q^(n+i)) / (1 − q^i) for i = 1..m, in O(m²n) steps.
/// </summary>
internal static class MannWhitney
{
    /// <summary>P(U ≥ u) under the null hypothesis for samples of sizes m and n (u rounded down, so ties stay conservative).</summary>
    /// <param name="m">The first sample's size.</param>
    /// <param name="n">The second sample's size.</param>
    /// <param name="u">The observed statistic.</param>
    public static double UpperTail(int m, int n, double u)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(m);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        var counts = Distribution(m, n);
        var from = (int)Math.Floor(u);
        if (from <= 0)
        {
            return 1;
        }

        double tail = 0, total = 0;
        for (var k = 0; k < counts.Length; k++)
        {
            total += counts[k];
            if (k >= from)
            {
                tail += counts[k];
            }
        }

        return tail / total;
    }

    /// <summary>How many of the C(m+n, m) orderings give each U from 0 to m·n.</summary>
    internal static double[] Distribution(int m, int n)
    {
        var degree = m * n;
        var c = new double[degree + m + n + 1];
        c[0] = 1;
        for (var i = 1; i <= m; i++)
        {
            var up = n + i;
            for (var k = c.Length - 1; k >= up; k--)
            {
                c[k] -= c[k - up];
            }

            for (var k = i; k < c.Length; k++)
            {
                c[k] += c[k - i];
            }
        }

        return c[..(degree + 1)];
    }
}

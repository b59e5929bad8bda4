namespace ModelC.Data.Synthetic;

/// <summary>
/// The 5-point finite-volume discretisation of <c>−∇·(a∇u)</c> on the n × n interior nodes of
/// the unit square, <c>x_i = (i+1)h</c>, <c>h = 1/(n+1)</c>, with u = 0 on the boundary:
/// <c>(A u)_P = Σ_faces c_f (u_P − u_nb) / h²</c>, a symmetric positive definite M-matrix.
/// </summary>
/// <remarks>
/// A face between two nodes takes the harmonic mean <c>2 a_P a_nb / (a_P + a_nb)</c> of their
/// coefficients: the flux through two materials in series, the usual choice for a piecewise
/// constant a. A face to a boundary node takes the node's own a (the coefficient is given at
/// the interior nodes only, so it is continued constantly to the boundary).
/// </remarks>
public sealed class DarcyOperator
{
    private readonly double[] _east;
    private readonly double[] _north;
    private readonly double[] _diagonal;

    /// <summary>The operator for the row-major n × n coefficient grid <paramref name="a"/> (row = y).</summary>
    public DarcyOperator(ReadOnlySpan<double> a, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (a.Length != n * n)
        {
            throw new ArgumentException($"an {n} × {n} grid has {n * n} coefficients, not {a.Length}", nameof(a));
        }
        Size = n;
        var scale = (double)(n + 1) * (n + 1);
        _east = new double[n * n];
        _north = new double[n * n];
        _diagonal = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var p = i * n + j;
                if (!(a[p] > 0))
                {
                    throw new ArgumentException($"the coefficient must be positive; a[{i}, {j}] = {a[p]}", nameof(a));
                }
                // Face coefficients over h²; the boundary faces enter only the diagonal.
                var east = j + 1 < n ? Harmonic(a[p], a[p + 1]) : a[p];
                var west = j > 0 ? Harmonic(a[p], a[p - 1]) : a[p];
                var north = i + 1 < n ? Harmonic(a[p], a[p + n]) : a[p];
                var south = i > 0 ? Harmonic(a[p], a[p - n]) : a[p];
                _east[p] = j + 1 < n ? east * scale : 0;
                _north[p] = i + 1 < n ? north * scale : 0;
                _diagonal[p] = (east + west + north + south) * scale;
            }
        }
    }

    /// <summary>The grid side n.</summary>
    public int Size { get; }

    /// <summary>The coupling <c>−A[p, p+1]</c> of node p to its east neighbour (0 on the east edge).</summary>
    public double East(int p) => _east[p];

    /// <summary>The coupling <c>−A[p, p+n]</c> of node p to its north neighbour (0 on the north edge).</summary>
    public double North(int p) => _north[p];

    /// <summary>The diagonal entry <c>A[p, p]</c>.</summary>
    public double Diagonal(int p) => _diagonal[p];

    /// <summary>The couplings to the east neighbours, per node (see <see cref="East"/>).</summary>
    internal ReadOnlySpan<double> EastCouplings => _east;

    /// <summary>The couplings to the north neighbours, per node (see <see cref="North"/>).</summary>
    internal ReadOnlySpan<double> NorthCouplings => _north;

    /// <summary>The diagonal, per node.</summary>
    internal ReadOnlySpan<double> DiagonalEntries => _diagonal;

    /// <summary><c>y = A x</c>.</summary>
    public void Apply(ReadOnlySpan<double> x, Span<double> y)
    {
        var n = Size;
        if (x.Length != n * n || y.Length != n * n)
        {
            throw new ArgumentException($"an {n} × {n} grid has {n * n} values; x has {x.Length}, y {y.Length}");
        }
        // Row by row, without index arithmetic per node: this is the inner loop of the solver.
        for (var i = 0; i < n; i++)
        {
            var row = i * n;
            for (var j = 0; j < n; j++)
            {
                var p = row + j;
                var sum = _diagonal[p] * x[p];
                if (j + 1 < n)
                {
                    sum -= _east[p] * x[p + 1];
                }
                if (j > 0)
                {
                    sum -= _east[p - 1] * x[p - 1];
                }
                if (i + 1 < n)
                {
                    sum -= _north[p] * x[p + n];
                }
                if (i > 0)
                {
                    sum -= _north[p - n] * x[p - n];
                }
                y[p] = sum;
            }
        }
    }

    private static double Harmonic(double a, double b) => 2 * a * b / (a + b);
}

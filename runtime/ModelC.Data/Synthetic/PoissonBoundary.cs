namespace ModelC.Data.Synthetic;

/// <summary>The boundary condition of the synthetic Poisson problems.</summary>
public enum PoissonBoundary
{
    /// <summary>u = 0 on the boundary of the unit square; the n × n grid holds the interior nodes, h = 1/(n+1).</summary>
    Dirichlet,

    /// <summary>u periodic on the unit square; the n × n grid holds the nodes x = i/n, h = 1/n.</summary>
    Periodic,
}

namespace ModelC.Distributed;

/// <summary>
/// Whether this process was started by Open MPI's <c>mpirun</c> (or another PMIx launcher), read
/// from the environment it sets, so that nothing of MPI is loaded in a process started otherwise.
/// </summary>
public static class MpiLaunch
{
    /// <summary>The variables a launcher sets: Open MPI's world size, and PMIx's rank.</summary>
    public static readonly IReadOnlyList<string> Variables = ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK"];

    /// <summary>Whether <paramref name="environment"/> (by default the process's) shows an MPI launch.</summary>
    public static bool Detected(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return Variables.Any(v => !string.IsNullOrEmpty(environment(v)));
    }

    /// <summary>
    /// The communicator of this process's job: Open MPI's world when launched by <c>mpirun</c>,
    /// else <see cref="SingleProcess"/>.
    /// </summary>
    /// <exception cref="MpiException">Launched by <c>mpirun</c>, but Open MPI cannot be loaded or initialised.</exception>
    public static ICommunicator Join() => Detected() ? MpiWorld.Join() : new SingleProcess();
}

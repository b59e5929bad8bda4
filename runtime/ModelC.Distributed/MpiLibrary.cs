using System.Runtime.InteropServices;

namespace ModelC.Distributed;

/// <summary>
/// Open MPI's C library, loaded on first use: the entry points the communicator calls and the
/// predefined handles, which Open MPI exports as data symbols (<c>MPI_COMM_WORLD</c> is the
/// address of <c>ompi_mpi_comm_world</c>). It is opened with <c>RTLD_GLOBAL</c> because Open MPI's
/// plugins, which it opens itself, resolve their references to it through the global scope.
/// </summary>
internal sealed unsafe class MpiLibrary
{
    /// <summary>The variable that names another library to load (a path, or a name the loader searches).</summary>
    public const string OverrideVariable = "MODELC_MPI";

    /// <summary>Open MPI's <c>MPI_IN_PLACE</c>.</summary>
    public static readonly nint InPlace = 1;

    private const int RtldNow = 2, RtldGlobal = 0x100;
    private static readonly string[] Candidates = ["libmpi.so.40", "libmpi.so"];
    private static readonly Lazy<MpiLibrary> Shared = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private MpiLibrary(string name, nint handle)
    {
        Name = name;
        nint Export(string symbol) => NativeLibrary.TryGetExport(handle, symbol, out var address) ? address
            : throw new MpiException($"{name} has no symbol {symbol}: it is not Open MPI's libmpi (MPICH and others name their handles differently)");
        InitThread = (delegate* unmanaged<int*, nint, int, int*, int>)Export("MPI_Init_thread");
        Initialized = (delegate* unmanaged<int*, int>)Export("MPI_Initialized");
        Finalized = (delegate* unmanaged<int*, int>)Export("MPI_Finalized");
        Finalize = (delegate* unmanaged<int>)Export("MPI_Finalize");
        CommSize = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_size");
        CommRank = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_rank");
        Allreduce = (delegate* unmanaged<nint, void*, int, nint, nint, nint, int>)Export("MPI_Allreduce");
        Bcast = (delegate* unmanaged<void*, int, nint, int, nint, int>)Export("MPI_Bcast");
        Barrier = (delegate* unmanaged<nint, int>)Export("MPI_Barrier");
        Abort = (delegate* unmanaged<nint, int, int>)Export("MPI_Abort");
        CommWorld = Export("ompi_mpi_comm_world");
        Float = Export("ompi_mpi_float");
        Byte = Export("ompi_mpi_byte");
        Sum = Export("ompi_mpi_op_sum");
    }

    /// <summary>The library, loaded on the first call.</summary>
    /// <exception cref="MpiException">No Open MPI library can be loaded.</exception>
    public static MpiLibrary Instance => Shared.Value;

    /// <summary>The name or path the library was loaded by.</summary>
    public string Name { get; }

    /// <summary><c>MPI_Init_thread(argc, argv, required, provided)</c>.</summary>
    public delegate* unmanaged<int*, nint, int, int*, int> InitThread { get; }

    /// <summary><c>MPI_Initialized(flag)</c>.</summary>
    public delegate* unmanaged<int*, int> Initialized { get; }

    /// <summary><c>MPI_Finalized(flag)</c>.</summary>
    public delegate* unmanaged<int*, int> Finalized { get; }

    /// <summary><c>MPI_Finalize()</c>.</summary>
    public delegate* unmanaged<int> Finalize { get; }

    /// <summary><c>MPI_Comm_size(comm, size)</c>.</summary>
    public delegate* unmanaged<nint, int*, int> CommSize { get; }

    /// <summary><c>MPI_Comm_rank(comm, rank)</c>.</summary>
    public delegate* unmanaged<nint, int*, int> CommRank { get; }

    /// <summary><c>MPI_Allreduce(sendbuf, recvbuf, count, datatype, op, comm)</c>.</summary>
    public delegate* unmanaged<nint, void*, int, nint, nint, nint, int> Allreduce { get; }

    /// <summary><c>MPI_Bcast(buffer, count, datatype, root, comm)</c>.</summary>
    public delegate* unmanaged<void*, int, nint, int, nint, int> Bcast { get; }

    /// <summary><c>MPI_Barrier(comm)</c>.</summary>
    public delegate* unmanaged<nint, int> Barrier { get; }

    /// <summary><c>MPI_Abort(comm, errorcode)</c>.</summary>
    public delegate* unmanaged<nint, int, int> Abort { get; }

    /// <summary><c>MPI_COMM_WORLD</c>.</summary>
    public nint CommWorld { get; }

    /// <summary><c>MPI_FLOAT</c>.</summary>
    public nint Float { get; }

    /// <summary><c>MPI_BYTE</c>.</summary>
    public nint Byte { get; }

    /// <summary><c>MPI_SUM</c>.</summary>
    public nint Sum { get; }

    /// <summary>Throws unless <paramref name="code"/> is <c>MPI_SUCCESS</c> (0).</summary>
    /// <exception cref="MpiException">The call failed.</exception>
    public static void Check(int code, string call)
    {
        if (code != 0)
        {
            throw new MpiException($"{call} failed with MPI error code {code}");
        }
    }

    private static MpiLibrary Load()
    {
        var given = Environment.GetEnvironmentVariable(OverrideVariable);
        string[] names = string.IsNullOrEmpty(given) ? Candidates : [given];
        var reasons = new List<string>();
        foreach (var name in names)
        {
            var handle = Open(name, RtldNow | RtldGlobal);
            if (handle != 0)
            {
                return new MpiLibrary(name, handle);
            }
            reasons.Add(LastError() ?? $"{name}: cannot open");
        }
        throw new MpiException(
            $"Open MPI is not installed or cannot be loaded ({string.Join("; ", reasons)}); install it (Debian: apt-get install openmpi-bin libopenmpi-dev) or set {OverrideVariable} to its libmpi.so");
    }

    private static string? LastError() => Marshal.PtrToStringUTF8(DlError());

    [DllImport("libc.so.6", EntryPoint = "dlopen")]
    private static extern nint Open([MarshalAs(UnmanagedType.LPUTF8Str)] string file, int mode);

    [DllImport("libc.so.6", EntryPoint = "dlerror")]
    private static extern nint DlError();
}

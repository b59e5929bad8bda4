using System.Runtime.InteropServices;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Backend.Tests;

/// <summary>
/// The CPU, one thread, with each buffer placed so that it ends where an inaccessible page
/// begins: a kernel that reads or writes even one float past a buffer (a plain vector load where
/// only a masked one stays inside) stops the process with a fault instead of reading a
/// neighbour's memory unnoticed. Buffers whose size is a multiple of
/// <see cref="ArenaPlanner.Alignment"/> end exactly at the guard page and stay aligned. Kernels
/// run and data moves as on <see cref="CpuDevice"/>, which only uses the buffers' addresses.
/// </summary>
internal sealed partial class GuardPagedCpu : IComputeDeviceFactory
{
    /// <inheritdoc/>
    public DeviceKind Kind => DeviceKind.Cpu;

    /// <inheritdoc/>
    public IComputeDevice Create(long scratchBytes) => new Device(new CpuDevice(1, scratchBytes));

    private sealed partial class Device(CpuDevice cpu) : IComputeDevice
    {
        private const int ReadWrite = 3;
        private const int NoAccess = 0;
        private const int PrivateAnonymous = 0x22;

        // Each buffer's address → the mapping it lies in (start, length).
        private readonly Dictionary<nint, (nint Start, nuint Length)> _mappings = [];

        public DeviceKind Kind => DeviceKind.Cpu;

        public int Parallelism => cpu.Parallelism;

        public DeviceBuffer Allocate(long bytes)
        {
            var page = Environment.SystemPageSize;
            var aligned = (Math.Max(bytes, 1) + ArenaPlanner.Alignment - 1) / ArenaPlanner.Alignment * ArenaPlanner.Alignment;
            var body = (aligned + page - 1) / page * page;
            var length = (nuint)(body + page);
            // Anonymous mappings are zeroed, as the CPU device's buffers are.
            var start = Mmap(0, length, ReadWrite, PrivateAnonymous, -1, 0);
            if (start == -1 || Mprotect(start + (nint)body, (nuint)page, NoAccess) != 0)
            {
                throw new InvalidOperationException($"mapping a guarded buffer failed (errno {Marshal.GetLastPInvokeError()})");
            }
            var address = start + (nint)(body - aligned);
            _mappings.Add(address, (start, length));
            return new DeviceBuffer(address, bytes);
        }

        public void Free(DeviceBuffer buffer)
        {
            if (_mappings.Remove(buffer.Address, out var mapping))
            {
                _ = Munmap(mapping.Start, mapping.Length);
            }
        }

        public nint HostAddress(DeviceBuffer buffer) => buffer.Address;

        public void CopyToDevice(ReadOnlySpan<byte> source, DeviceBuffer destination) => cpu.CopyToDevice(source, destination);

        public void CopyToHost(DeviceBuffer source, Span<byte> destination) => cpu.CopyToHost(source, destination);

        public void Copy(DeviceBuffer source, DeviceBuffer destination) => cpu.Copy(source, destination);

        public PreparedKernel Prepare(IKernelLibrary code, string symbol, ReadOnlySpan<DeviceBuffer> arguments, ReadOnlySpan<long> symbols) =>
            cpu.Prepare(code, symbol, arguments, symbols);

        public void Launch(PreparedKernel kernel) => cpu.Launch(kernel);

        public void Synchronize() => cpu.Synchronize();

        public void Dispose()
        {
            foreach (var mapping in _mappings.Values)
            {
                _ = Munmap(mapping.Start, mapping.Length);
            }
            _mappings.Clear();
            cpu.Dispose();
        }

        [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
        private static partial nint Mmap(nint address, nuint length, int protection, int flags, int descriptor, nint offset);

        [LibraryImport("libc", EntryPoint = "mprotect", SetLastError = true)]
        private static partial int Mprotect(nint address, nuint length, int protection);

        [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
        private static partial int Munmap(nint address, nuint length);
    }
}

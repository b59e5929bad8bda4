using System.Runtime.InteropServices;

namespace ModelC.Llvm.Interop;

// Walking a module's blocks and instructions: compile-time reports count a module's instructions.
public static partial class LLVM
{
    /// <summary>LLVMGetFirstBasicBlock (null handle for a declaration)</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMGetFirstBasicBlock")]
    public static partial LLVMBasicBlockRef GetFirstBasicBlock(LLVMValueRef function);

    /// <summary>LLVMGetNextBasicBlock</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMGetNextBasicBlock")]
    public static partial LLVMBasicBlockRef GetNextBasicBlock(LLVMBasicBlockRef block);

    /// <summary>LLVMGetFirstInstruction</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMGetFirstInstruction")]
    public static partial LLVMValueRef GetFirstInstruction(LLVMBasicBlockRef block);

    /// <summary>LLVMGetNextInstruction</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMGetNextInstruction")]
    public static partial LLVMValueRef GetNextInstruction(LLVMValueRef instruction);

    /// <summary>The number of instructions in every function body of <paramref name="module"/>.</summary>
    public static int CountInstructions(LLVMModuleRef module)
    {
        var count = 0;
        for (var function = GetFirstFunction(module); function.Handle != 0; function = GetNextFunction(function))
        {
            for (var block = GetFirstBasicBlock(function); block.Handle != 0; block = GetNextBasicBlock(block))
            {
                for (var instruction = GetFirstInstruction(block); instruction.Handle != 0; instruction = GetNextInstruction(instruction))
                {
                    count++;
                }
            }
        }
        return count;
    }
}

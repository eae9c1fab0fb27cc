namespace SchedCP.Repository;

/// <summary>The C type of a <c>const volatile</c> variable in a BPF object's <c>.rodata</c>.</summary>
public enum RodataType
{
    /// <summary><c>u64</c>.</summary>
    U64,

    /// <summary><c>u32</c>.</summary>
    U32,

    /// <summary><c>s64</c>.</summary>
    S64,

    /// <summary><c>s32</c>.</summary>
    S32,

    /// <summary><c>bool</c>, written as 1 or 0.</summary>
    Bool,

    /// <summary><c>char[TASK_COMM_LEN]</c>: a task name of at most 15 bytes, written as text (for a string parameter).</summary>
    Comm,
}

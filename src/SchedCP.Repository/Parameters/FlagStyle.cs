namespace SchedCP.Repository;

/// <summary>How a parameter value is spelled on a scheduler's command line.</summary>
public enum FlagStyle
{
    /// <summary><c>--flag=value</c> for a long flag (the value stays bound to its flag even when it starts with a dash); <c>-f value</c> for a short one.</summary>
    Value,

    /// <summary>A boolean switch: the flag alone when <c>true</c>, nothing when <c>false</c>.</summary>
    Switch,

    /// <summary>An enum whose value is itself the switch: value <c>performance</c> renders as <c>--performance</c> (lavd's power modes).</summary>
    EnumSwitch,

    /// <summary>A positional argument after the flags (layered's layer specification).</summary>
    Positional,
}

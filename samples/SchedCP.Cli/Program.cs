// The `schedcp` command line: the control plane for people and scripts.
return await SchedcpCommand.InvokeAsync(args);

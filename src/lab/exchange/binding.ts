/**
 * What PowerShell's parameter binder refuses before an Exchange cmdlet runs: an empty value for a mandatory
 * parameter, and parameters from two parameter sets. The simulated org refuses them in the binder's words, as the
 * HybridOps.Lab module in a real shell and the relay's gate (src/exchange/validate.ts) do.
 */
import type { EmsCommand } from '../../core/ems';
import { canonicalParamName, paramSpec } from '../../exchange/cmdlets';
import { emptyMandatoryValue, fitsOneParameterSet } from '../../exchange/validate';
import { CmdletError } from './errors';

/** Throws the binder's error record for `command`, or returns when PowerShell would bind it. */
export function checkBinding(command: EmsCommand): void {
  const { cmdlet } = command;
  const names: string[] = [];
  for (const [given, value] of Object.entries(command.params)) {
    const name = canonicalParamName(cmdlet, given) ?? given;
    names.push(name);
    const spec = paramSpec(cmdlet, name);
    const empty = spec && emptyMandatoryValue(name, spec, value);
    if (empty) {
      throw new CmdletError({
        message: empty.message,
        category: 'InvalidData',
        errorId: `ParameterArgumentValidationError${empty.reason},${cmdlet}`,
      });
    }
  }
  if (!fitsOneParameterSet(cmdlet, names)) {
    throw new CmdletError({
      message:
        'Parameter set cannot be resolved using the specified named parameters. One or more parameters issued cannot be used together or an insufficient number of parameters were provided.',
      category: 'InvalidArgument',
      errorId: `AmbiguousParameterSet,${cmdlet}`,
    });
  }
}

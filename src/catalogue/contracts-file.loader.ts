import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { parse } from 'yaml';
import { toFieldErrors } from '../common/errors/validation-errors';
import { AppConfig } from '../config/app-config';
import { scheduleErrors } from './action-fields';
import { ContractsService } from './contracts.service';
import { NamedContractDto } from './dto/contract.dto';
import { validateDeclarations } from './variables';

export const EXAMPLE_CONTRACTS_FILE = resolve(__dirname, '../../config/contracts.example.yaml');

export class ContractsFileError extends Error {
  override readonly name = 'ContractsFileError';
}

/** Parses and validates a contracts file; every problem is reported with the file's path. */
export function readContractsFile(path: string): NamedContractDto[] {
  let document: unknown;
  try {
    document = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ContractsFileError(`${path}: cannot be read as YAML or JSON: ${(error as Error).message}`);
  }
  const list = (document as { contracts?: unknown } | null)?.contracts;
  if (!Array.isArray(list)) throw new ContractsFileError(`${path}: the top level must be { "contracts": [ ... ] }`);
  const problems: string[] = [];
  const contracts = list.map((item: unknown, index) => {
    const dto = plainToInstance(NamedContractDto, item ?? {});
    const errors = toFieldErrors(
      validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }),
    );
    (dto.actions ?? []).forEach((action, actionIndex) => {
      const declarationErrors = action?.variables === undefined ? [] : validateDeclarations(action.variables, `actions[${actionIndex}].variables`);
      errors.push(...declarationErrors);
      if (action && declarationErrors.length === 0) errors.push(...scheduleErrors(action, `actions[${actionIndex}].variables`));
    });
    problems.push(...errors.map((error) => `contracts[${index}].${error.field}: ${error.message}`));
    return dto;
  });
  const names = contracts.map((contract) => contract.name);
  names.forEach((name, index) => {
    if (names.indexOf(name) !== index) problems.push(`contracts[${index}].name: "${name}" is listed twice`);
  });
  if (problems.length > 0) throw new ContractsFileError(`${path}: ${problems.join('; ')}`);
  return contracts;
}

/** Applies CONTRACTS_FILE (or the demo catalogue into an empty database) at start-up, as an upsert. */
@Injectable()
export class ContractsFileLoader implements OnApplicationBootstrap {
  private readonly logger = new Logger('Contracts');

  constructor(
    private readonly config: AppConfig,
    private readonly contracts: ContractsService,
  ) {}

  async onApplicationBootstrap() {
    const source = this.config.contractsFile;
    if (source.kind === 'none') return;
    if (source.kind === 'example' && (await this.contracts.count()) > 0) return;
    const path = source.kind === 'path' ? source.path : EXAMPLE_CONTRACTS_FILE;
    const contracts = readContractsFile(path);
    for (const { name, ...contract } of contracts) {
      await this.contracts.put(name, contract);
    }
    this.logger.log(`applied ${contracts.length} contract(s) from ${path}`);
  }
}

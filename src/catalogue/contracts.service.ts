import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { CursorCodec } from '../common/paging/cursor-codec';
import { DEFAULT_MAX_ITEMS } from '../common/paging/max-items';
import { nextLink } from '../common/paging/next-link';
import { AppConfig } from '../config/app-config';
import { assertValidDeclarations, toActionFields } from './action-fields';
import { CatalogueRepository } from './catalogue.repository';
import { contractNotFound } from './catalogue-errors';
import { toContractView } from './contract-view';
import { ContractListResponseDto, ContractResponseDto } from './dto/contract-response.dto';
import { ContractDto } from './dto/contract.dto';
import { ListContractsQueryDto } from './dto/list-contracts-query.dto';
import { PutResult } from './put-result';

const isAfterCursor = (value: unknown): value is { after: string } =>
  typeof value === 'object' && value !== null && typeof (value as { after?: unknown }).after === 'string';

@Injectable()
export class ContractsService {
  constructor(
    private readonly catalogue: CatalogueRepository,
    private readonly cursors: CursorCodec,
    private readonly config: AppConfig,
  ) {}

  /** Keyset-paged by name: the cursor of `next` carries the last name of this page. */
  async list(query: ListContractsQueryDto): Promise<ContractListResponseDto> {
    const maxItems = query.maxItems ?? DEFAULT_MAX_ITEMS;
    const afterName = query.cursor ? this.cursors.decode(query.cursor, isAfterCursor).after : undefined;
    const filter = { type: query.type, actor: query.actor, enabled: query.enabled, afterName };
    const { page, hasMore } = await this.catalogue.listContracts(filter, maxItems);
    const contracts = page.map(({ contract, actions }) => toContractView(contract, actions));
    if (!hasMore) return { contracts };
    const cursor = this.cursors.encode({ after: page[page.length - 1].contract.name });
    const params = Object.fromEntries(Object.entries(query).map(([key, value]) => [key, value === undefined ? undefined : String(value)]));
    return { contracts, next: nextLink(this.config.http.contextPath, '/contracts', params, cursor) };
  }

  async get(name: string): Promise<ContractResponseDto> {
    const found = await this.catalogue.findContract(name);
    if (!found) throw contractNotFound(name);
    return toContractView(found.contract, found.actions);
  }

  /** With `actions` in the body, the contract's action set becomes exactly that list; without, its actions stay. */
  async put(name: string, dto: ContractDto): Promise<PutResult<ContractResponseDto>> {
    if (dto.actions) {
      assertValidDeclarations(dto.actions, (index) => `actions[${index}].variables`);
      const names = dto.actions.map((action) => action.name);
      const duplicate = names.find((candidate, index) => names.indexOf(candidate) !== index);
      if (duplicate) {
        throw new DomainError('VALIDATION_FAILED', 'Action names must be unique within a contract.', {
          errors: [{ field: 'actions', message: `the action "${duplicate}" is listed twice` }],
        });
      }
    }
    const fields = { type: dto.type, actor: dto.actor, description: dto.description ?? null, enabled: dto.enabled ?? true };
    const actions = dto.actions?.map((action) => ({ ...toActionFields(action), name: action.name }));
    const { created, resource } = await this.catalogue.putContract(name, fields, actions);
    return { created, resource: toContractView(resource.contract, resource.actions) };
  }

  async delete(name: string): Promise<void> {
    if (!(await this.catalogue.deleteContract(name))) throw contractNotFound(name);
  }

  count(): Promise<number> {
    return this.catalogue.countContracts();
  }
}

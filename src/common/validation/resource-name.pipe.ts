import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { RESOURCE_NAME_MESSAGE, RESOURCE_NAME_PATTERN } from './names';

@Injectable()
export class ResourceNamePipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!RESOURCE_NAME_PATTERN.test(value)) {
      const field = metadata.data ?? 'name';
      throw new DomainError('VALIDATION_FAILED', `The ${field} name is not valid.`, {
        errors: [{ field, message: `${field} ${RESOURCE_NAME_MESSAGE}` }],
      });
    }
    return value;
  }
}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActionsModule } from '../actions/actions.module';
import { ContractEntity } from './contract.entity';
import { ContractsController } from './contracts.controller';
import { ContractsFileLoader } from './contracts-file.loader';
import { ContractsService } from './contracts.service';

@Module({
  imports: [TypeOrmModule.forFeature([ContractEntity]), ActionsModule],
  controllers: [ContractsController],
  providers: [ContractsService, ContractsFileLoader],
  exports: [ContractsService],
})
export class ContractsModule {}

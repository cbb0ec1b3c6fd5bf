import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActionEntity } from './action.entity';
import { ActionsController } from './actions.controller';
import { ActionsService } from './actions.service';
import { CatalogueRepository } from './catalogue.repository';
import { ContractEntity } from './contract.entity';
import { ContractsController } from './contracts.controller';
import { ContractsFileLoader } from './contracts-file.loader';
import { ContractsService } from './contracts.service';

@Module({
  imports: [TypeOrmModule.forFeature([ContractEntity, ActionEntity])],
  controllers: [ContractsController, ActionsController],
  providers: [CatalogueRepository, ContractsService, ActionsService, ContractsFileLoader],
  exports: [ActionsService],
})
export class CatalogueModule {}

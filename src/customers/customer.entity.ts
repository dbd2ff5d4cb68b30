import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PolicySubject } from '../disclosures/request-disclosures';
import { Protected } from '../graphql/purpose-directive';
import type { SubjectFacts } from '../policy';

@ObjectType('Customer', { description: 'A person who shops at Petto.' })
@Entity('customers')
export class Customer implements PolicySubject {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Protected('Customer.fullName')
  @Column({ name: 'full_name' })
  fullName: string;

  /** Lower-cased. */
  @Protected('Customer.email')
  @Column()
  email: string;

  /** E.164, e.g. +84912345678. */
  @Protected('Customer.phone')
  @Column()
  phone: string;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  /**
   * Set only on rows read for a marketing audience: the same statement found the
   * customer's latest consent for the audience's topic to be GRANTED.
   */
  consentedToAudienceTopic?: boolean;

  get subjectCustomerId(): string {
    return this.id;
  }

  subjectFacts(): SubjectFacts {
    return { consentGranted: this.consentedToAudienceTopic === true };
  }
}
